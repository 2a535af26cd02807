package io.meterflow.store;

import java.lang.management.ManagementFactory;

/**
 * Which engine process did something: {@code pid@host}, recorded with claims and runs so that
 * work left unfinished by an engine that died can be recognised and taken over.
 */
public record EngineIdentity(String name) {

    public EngineIdentity {
        name = name.length() <= 255 ? name : name.substring(0, 255);
    }

    /** This process. */
    public static EngineIdentity current() {
        return new EngineIdentity(ManagementFactory.getRuntimeMXBean().getName());
    }

    /**
     * True when {@code other} names a process of this host that no longer runs (killed or
     * stopped). An engine of another host is never judged gone here: that needs its heartbeat.
     */
    public boolean seesGone(String other) {
        if (other == null || other.equals(name)) {
            return false;
        }
        int at = other.indexOf('@');
        if (at <= 0 || !other.substring(at + 1).equals(host())) {
            return false;
        }
        try {
            long pid = Long.parseLong(other.substring(0, at));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The host part of the name. */
    public String host() {
        int at = name.indexOf('@');
        return at < 0 ? "" : name.substring(at + 1);
    }
}

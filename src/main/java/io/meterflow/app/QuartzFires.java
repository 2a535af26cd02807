package io.meterflow.app;

import java.util.Date;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Names a Quartz fire by the time it was due, in header {@value #HEADER}: Quartz's
 * {@code scheduledFireTime}, or, when the fire is the recovery of a job whose engine died while
 * running it, the due time of the fire that was cut short (kept by Quartz in the job data), so that
 * the recovered run covers the same window.
 */
final class QuartzFires implements Processor {

    static final String HEADER = "meterflowFireTime";

    /** Where Quartz keeps the due time of the fire a recovery replaces. */
    private static final String RECOVERED_FIRE =
            "QRTZ_FAILED_JOB_ORIG_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS_AS_STRING";

    @Override
    public void process(Exchange exchange) {
        Date due = exchange.getIn().getHeader("scheduledFireTime", Date.class);
        if (exchange.getIn().getHeader("mergedJobDataMap") instanceof Map<?, ?> data
                && data.get(RECOVERED_FIRE) instanceof String millis) {
            due = new Date(Long.parseLong(millis));
        }
        exchange.getIn().setHeader(HEADER, due);
    }
}

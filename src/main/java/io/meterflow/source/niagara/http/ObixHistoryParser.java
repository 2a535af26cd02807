package io.meterflow.source.niagara.http;

import io.meterflow.series.Sample;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.UnusablePayload;
import java.io.ByteArrayInputStream;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * oBIX {@code obix:HistoryQueryOut}: the records of {@code <list name="data">} (an {@code abstime}
 * named timestamp with its offset, and a {@code real}, {@code int} or {@code bool} value), read by
 * name, not position; the unit from the {@code #RecordDef} prototype. Records carry no status,
 * so none is stored for them. An {@code <err>} root (which Niagara may send with HTTP 200) is an
 * error.
 */
public final class ObixHistoryParser {

    /** The records and the unit (null for {@code obix:units/null} or none). */
    public record Parsed(List<HistoryRow> rows, String unit) {}

    private ObixHistoryParser() {}

    public static Parsed parse(byte[] xml) throws UnusablePayload {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            doc = b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new UnusablePayload("not oBIX XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (root.getLocalName().equals("err")) {
            throw new UnusablePayload("oBIX error " + root.getAttribute("is") + ": " + root.getAttribute("display"));
        }
        Element data = null;
        String unit = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (e.getLocalName().equals("list") && "data".equals(e.getAttribute("name"))) {
                    data = e;
                }
                if ("#RecordDef".equals(e.getAttribute("href"))) {
                    NodeList values = e.getElementsByTagNameNS("*", "real");
                    if (values.getLength() > 0) {
                        String u = ((Element) values.item(0)).getAttribute("unit");
                        unit = u.isEmpty() || u.endsWith("/null") ? null : u.substring(u.lastIndexOf('/') + 1);
                    }
                }
            }
        }
        if (data == null) {
            throw new UnusablePayload("no <list name=\"data\"> in the oBIX answer");
        }
        List<HistoryRow> rows = new ArrayList<>();
        for (Node n = data.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element record)) {
                continue;
            }
            Long millis = null;
            Double value = null;
            for (Node c = record.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (!(c instanceof Element e)) {
                    continue;
                }
                String name = e.getAttribute("name");
                String val = e.getAttribute("val");
                if (name.equals("timestamp")) {
                    try {
                        millis = OffsetDateTime.parse(val).toInstant().toEpochMilli();
                    } catch (DateTimeException | ArithmeticException ex) {
                        throw new UnusablePayload("bad oBIX timestamp: " + val);
                    }
                    if (!Sample.usableTime(millis)) {
                        throw new UnusablePayload("oBIX timestamp before 1970 or after 9999: " + val);
                    }
                } else if (name.equals("value")) {
                    value = switch (e.getLocalName()) {
                        case "bool" -> Boolean.parseBoolean(val) ? 1.0 : 0.0;
                        case "real", "int" -> {
                            try {
                                yield Double.parseDouble(val);
                            } catch (NumberFormatException ex) {
                                throw new UnusablePayload("bad oBIX value: " + val);
                            }
                        }
                        default -> null;
                    };
                }
            }
            if (millis == null) {
                throw new UnusablePayload("an oBIX record without timestamp");
            }
            if (value != null && Sample.usable(value)) {
                rows.add(new HistoryRow(millis, value)); // oBIX records carry no status
            }
        }
        return new Parsed(rows, unit);
    }
}

package dev.vigil.pipeline.testutils;

import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile telemetry: random bytes, truncated and deeply nested JSON, huge
 * numbers, NaN/Infinity, invalid UTF-8, line-protocol and collectd edge cases, overlong topics,
 * names and tag values. Every envelope has the fixed receive time {@link #RECEIVED_AT}.
 */
public final class HostilePayloads {

    /** 2024-01-01T00:00:00Z. */
    public static final long RECEIVED_AT = 1_704_067_200_000L;

    /** Characters with a meaning in line protocol, JSON, topics or logs. */
    private static final char[] SPECIAL = {
        ',', '=', ' ', '"', '\\', '\n', '\r', '\t', '#', '+', '/', '{', '}', '[', ']', ':', '\'',
        '\0', '\u0085', '\u2028', '\u00e9', '\u4e2d', '\ufeff', '\u007f', '\u001b'
    };

    private static final String NAME_CHARS = "abcXYZ" + new String(SPECIAL);

    private HostilePayloads() {}

    /** Every kind, mixed. */
    public static Arbitrary<Envelope> any() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, randomBytes()),
                net.jqwik.api.Tuple.of(4, json()),
                net.jqwik.api.Tuple.of(4, lineProtocol()),
                net.jqwik.api.Tuple.of(2, collectd()),
                net.jqwik.api.Tuple.of(1, invalidUtf8()),
                net.jqwik.api.Tuple.of(1, overlong()));
    }

    public static Arbitrary<Envelope> randomBytes() {
        return Combinators.combine(topic(), Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as((topic, bytes) -> new Envelope(topic, bytes, RECEIVED_AT));
    }

    public static Arbitrary<Envelope> json() {
        Arbitrary<String> document =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, jsonObject()),
                        net.jqwik.api.Tuple.of(6, validJson()),
                        net.jqwik.api.Tuple.of(1, deeplyNested()),
                        net.jqwik.api.Tuple.of(
                                1,
                                jsonObject()
                                        .list()
                                        .ofMaxSize(4)
                                        .map(l -> "[" + String.join(",", l) + "]")));
        return Combinators.combine(jsonTopic(), document, Arbitraries.integers().between(0, 100))
                .as((topic, doc, cut) -> envelope(topic, truncate(doc, cut)));
    }

    public static Arbitrary<Envelope> lineProtocol() {
        Arbitrary<String> lines =
                Arbitraries.oneOf(lpLine(), validLpLine())
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(4)
                        .map(l -> String.join("\n", l));
        return Combinators.combine(lpTopic(), lines, Arbitraries.integers().between(0, 100))
                .as((topic, text, cut) -> envelope(topic, truncate(text, cut)));
    }

    public static Arbitrary<Envelope> collectd() {
        Arbitrary<String> time =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                "N",
                                "",
                                "-1",
                                "1e300",
                                "NaN",
                                "1704067200",
                                "1704067200.5",
                                "99999999999999999999",
                                "1704067200000",
                                " 1704067200",
                                "0x10"),
                        Arbitraries.longs().map(String::valueOf));
        Arbitrary<String> values =
                number().list().ofMinSize(0).ofMaxSize(4).map(l -> String.join(":", l));
        Arbitrary<String> payload =
                Combinators.combine(time, values, Arbitraries.of("", "\0", "\n", ":", "\0\0"))
                        .as((t, v, end) -> t + ":" + v + end);
        Arbitrary<String> topic =
                Combinators.combine(
                                name(),
                                name(),
                                Arbitraries.of("load", "cpu", "memory", "df", "if_octets"),
                                name())
                        .as(
                                (host, plugin, type, inst) ->
                                        "collectd/"
                                                + host
                                                + "/"
                                                + plugin
                                                + "/"
                                                + type
                                                + "-"
                                                + inst);
        return Combinators.combine(topic, payload).as(HostilePayloads::envelope);
    }

    /** A valid-looking payload with an invalid UTF-8 sequence inserted. */
    public static Arbitrary<Envelope> invalidUtf8() {
        Arbitrary<byte[]> bad =
                Arbitraries.of(
                        new byte[] {(byte) 0xC0, (byte) 0x80},
                        new byte[] {(byte) 0xFF},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0xE2, (byte) 0x82},
                        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0x80});
        return Combinators.combine(
                        Arbitraries.oneOf(json(), lineProtocol()),
                        bad,
                        Arbitraries.integers().between(0, 100))
                .as(
                        (e, b, at) ->
                                new Envelope(
                                        e.getTopic(), insert(e.getPayload(), b, at), RECEIVED_AT));
    }

    /** Topics, names and tag values past the limits, and large payloads. */
    public static Arbitrary<Envelope> overlong() {
        Arbitrary<Integer> length = Arbitraries.of(255, 256, 257, 1023, 1024, 1025, 70_000);
        return Combinators.combine(
                        length,
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of('a', ',', ' ', '\\', '='))
                .as(
                        (n, kind, c) -> {
                            String s = String.valueOf(c).repeat(n);
                            switch (kind) {
                                case 0:
                                    return envelope("sensors/" + s + "/telemetry", "{\"t\":1}");
                                case 1:
                                    return envelope(
                                            "telegraf/h", "m,t=" + s + " v=1 1704067200000000000");
                                case 2:
                                    return envelope("telegraf/h", s + " v=1");
                                default:
                                    return envelope(
                                            "sensors/d/telemetry",
                                            "{\"id\":\"" + s + "\",\"t\":1}");
                            }
                        });
    }

    // ------------------------------------------------------------------ building blocks

    static Arbitrary<String> topic() {
        return Arbitraries.oneOf(
                jsonTopic(),
                lpTopic(),
                Arbitraries.of("", "#", "unknown/x", "collectd", "/", "sensors"));
    }

    static Arbitrary<String> jsonTopic() {
        return Arbitraries.oneOf(
                name().map(d -> "sensors/" + d + "/telemetry"),
                name().list().ofMinSize(1).ofMaxSize(3).map(l -> "sensors/" + String.join("/", l)));
    }

    static Arbitrary<String> lpTopic() {
        return Arbitraries.oneOf(name().map(h -> "telegraf/" + h), name().map(s -> "replay/" + s));
    }

    /** Short strings biased to special characters. */
    static Arbitrary<String> name() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(NAME_CHARS).ofMaxLength(6),
                Arbitraries.strings().ofMaxLength(4));
    }

    /** Non-empty names for mostly-valid payloads: letters with the odd special character. */
    static Arbitrary<String> validName() {
        return Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(8);
    }

    static Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "inf",
                        "1e309",
                        "-1e309",
                        "1e-400",
                        "-0",
                        "0",
                        "1.7976931348623157E308",
                        "4.9E-324",
                        "9223372036854775808",
                        "-9223372036854775809",
                        "99999999999999999999999999999",
                        "1.",
                        ".5",
                        "1e",
                        "--1",
                        "0x1F",
                        "1_000",
                        "+1",
                        "00012",
                        "1.5e+3",
                        "",
                        " ",
                        "true",
                        "null"),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf));
    }

    static Arbitrary<String> jsonString() {
        return name().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .injectDuplicates(0.01);
    }

    static Arbitrary<String> jsonValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, number()),
                net.jqwik.api.Tuple.of(2, jsonString()),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.of(
                                "true",
                                "false",
                                "null",
                                "{}",
                                "[]",
                                "[1,2]",
                                "{\"a\":1}",
                                "\"\\ud800\"",
                                "\"\\u0000\"",
                                "\"\\n\"",
                                "\"a\\\\\"")));
    }

    static Arbitrary<String> jsonObject() {
        Arbitrary<String> key =
                Arbitraries.oneOf(
                        jsonString(),
                        Arbitraries.of(
                                "\"id\"",
                                "\"city\"",
                                "\"host\"",
                                "\"timestamp\"",
                                "\"temperature\""));
        Arbitrary<String> timestamp =
                Arbitraries.oneOf(
                        number(),
                        Arbitraries.of(
                                "\"2024-01-01T00:00:00Z\"",
                                "\"2024-13-01T00:00:00Z\"",
                                "\"1704067200\"",
                                "\"+999999999-12-31T23:59:59Z\"",
                                "\"\"",
                                "1704067200",
                                "1704067200000",
                                "32503680000000",
                                "-1"));
        Arbitrary<String> member = Combinators.combine(key, jsonValue()).as((k, v) -> k + ":" + v);
        return Combinators.combine(
                        member.list().ofMaxSize(6), timestamp, Arbitraries.integers().between(0, 2))
                .as(
                        (members, ts, withTs) -> {
                            StringBuilder s = new StringBuilder("{");
                            s.append(String.join(",", members));
                            if (withTs > 0) {
                                s.append(members.isEmpty() ? "" : ",")
                                        .append("\"timestamp\":")
                                        .append(ts);
                            }
                            return s.append('}').toString();
                        });
    }

    /** Well-formed JSON with hostile tag values and names, and a finite number. */
    static Arbitrary<String> validJson() {
        return Combinators.combine(validName(), validName(), validName(), Arbitraries.doubles())
                .as(
                        (id, city, field, value) ->
                                "{\"id\":"
                                        + quote(id)
                                        + ",\"city\":"
                                        + quote(city)
                                        + ","
                                        + quote(field)
                                        + ":"
                                        + value
                                        + ",\"timestamp\":1704067200000}");
    }

    /** Well-formed line protocol with hostile names, escaped as a client would. */
    static Arbitrary<String> validLpLine() {
        return Combinators.combine(
                        validName(), validName(), validName(), validName(), Arbitraries.doubles())
                .as(
                        (m, k, v, f, value) ->
                                lpEscape(m, false)
                                        + ","
                                        + lpEscape(k, true)
                                        + "="
                                        + lpEscape(v, true)
                                        + " "
                                        + lpEscape(f, true)
                                        + "="
                                        + value
                                        + " 1704067200000000000");
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format("\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }

    private static String lpEscape(String s, boolean equals) {
        StringBuilder e = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == ',' || c == ' ' || (equals && c == '=')) {
                e.append('\\');
            }
            e.append(c);
        }
        return e.toString();
    }

    static Arbitrary<String> deeplyNested() {
        return Combinators.combine(
                        Arbitraries.integers().between(100, 5000), Arbitraries.of("[", "{\"a\":"))
                .as((depth, open) -> "{\"v\":" + open.repeat(depth) + "1");
    }

    static Arbitrary<String> lpLine() {
        Arbitrary<String> tag = Combinators.combine(name(), name()).as((k, v) -> "," + k + "=" + v);
        Arbitrary<String> field =
                Combinators.combine(
                                name(),
                                Arbitraries.oneOf(
                                        number(),
                                        number().map(n -> n + "i"),
                                        Arbitraries.of(
                                                "\"str\"", "\"a\\\"b\"", "t", "F", "\"\n\"")))
                        .as((k, v) -> k + "=" + v);
        Arbitrary<String> timestamp =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                "",
                                " 1704067200000000000",
                                " -1",
                                " 9223372036854775807",
                                " 99999999999999999999",
                                " 1704067200",
                                " abc",
                                " 1.5"),
                        Arbitraries.longs().map(l -> " " + l));
        return Combinators.combine(
                        name(),
                        tag.list().ofMaxSize(3),
                        field.list().ofMinSize(0).ofMaxSize(3),
                        timestamp,
                        Arbitraries.of(" ", "  ", "\t", ""))
                .as(
                        (m, tags, fields, ts, sep) ->
                                m + String.join("", tags) + sep + String.join(",", fields) + ts);
    }

    /** Keeps the text for {@code percent} below 90, else cuts it to (percent - 90) tenths. */
    private static String truncate(String text, int percent) {
        return percent >= 90 ? text.substring(0, text.length() * (percent - 90) / 10) : text;
    }

    private static byte[] insert(byte[] payload, byte[] bad, int percent) {
        int at = payload.length * percent / 100;
        byte[] out = new byte[payload.length + bad.length];
        System.arraycopy(payload, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(payload, at, out, at + bad.length, payload.length - at);
        return out;
    }

    private static Envelope envelope(String topic, String payload) {
        return new Envelope(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED_AT);
    }
}

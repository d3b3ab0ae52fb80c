package dev.vigil.bench.influx;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/** The element already is a line: the benchmark measures the sink, not an encoder. */
final class IdentityConverter implements ElementConverter<String, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String apply(String line, SinkWriter.Context context) {
        return line;
    }
}

package dev.vigil.pipeline.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Writes elements as InfluxDB line protocol into local files that {@code influx -import -path=FILE
 * -precision=ms} loads later: {@code <dir>/<name>-<subtask>.lp}, each starting with the import
 * header for database {@code database}. For runs without an InfluxDB (the embedded demo). Not fault
 * tolerant: a restarted job rewrites its files.
 */
public final class LineProtocolFileSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String directory;
    private final String name;
    private final String database;
    private final ElementConverter<T, String> converter;

    public LineProtocolFileSink(
            Path directory, String name, String database, ElementConverter<T, String> converter) {
        this.directory = directory.toAbsolutePath().toString();
        this.name = name;
        this.database = database;
        this.converter = converter;
    }

    /** The file subtask {@code subtask} writes. */
    public static Path file(Path directory, String name, int subtask) {
        return directory.resolve(name + "-" + subtask + ".lp");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(
                file(Paths.get(directory), name, context.getTaskInfo().getIndexOfThisSubtask()),
                database,
                converter);
    }

    /**
     * Flink 1.20 still declares this variant; it only calls {@link
     * #createWriter(WriterInitContext)}.
     */
    @Override
    @Deprecated
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        return new Writer<>(
                file(Paths.get(directory), name, context.getSubtaskId()), database, converter);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final ElementConverter<T, String> converter;

        Writer(Path file, String database, ElementConverter<T, String> converter)
                throws IOException {
            Files.createDirectories(file.getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            this.converter = converter;
            out.write(
                    "# DDL\nCREATE DATABASE "
                            + database
                            + "\n# DML\n# CONTEXT-DATABASE: "
                            + database
                            + "\n");
        }

        @Override
        public void write(T element, Context context) throws IOException {
            String line = converter.apply(element, context);
            if (!line.isEmpty()) {
                out.write(line);
                out.write('\n');
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

package dev.vigil.bench.influx;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/** Index → line of the {@link LineCorpus}. */
final class LineGenerator implements GeneratorFunction<Long, String> {

    private static final long serialVersionUID = 1L;

    private transient LineCorpus corpus;

    @Override
    public void open(SourceReaderContext readerContext) {
        corpus = new LineCorpus();
    }

    @Override
    public String map(Long index) {
        return corpus.line(index);
    }
}

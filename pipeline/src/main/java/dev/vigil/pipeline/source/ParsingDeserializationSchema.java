package dev.vigil.pipeline.source;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.pipeline.parse.EnvelopeParsing;
import dev.vigil.pipeline.parse.ParsedRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka record value → envelope ({@link EnvelopeCodec}) → its parsed points or its reject, inside
 * the source, so that the source knows each point's event time and keeps a watermark per partition.
 * Never throws: a value that is not an encoded envelope becomes an envelope without topic (the
 * record's timestamp as receive time), rejected as {@code UNKNOWN_TOPIC}.
 */
public class ParsingDeserializationSchema
        implements KafkaRecordDeserializationSchema<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    private final EnvelopeParsing parsing;

    public ParsingDeserializationSchema(EnvelopeParsing parsing) {
        this.parsing = parsing;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parsing.open();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        parsing.parseInto(
                EnvelopeCodec.decodeOrUnroutable(record.value(), Math.max(0, record.timestamp())),
                out);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}

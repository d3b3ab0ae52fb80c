package dev.vigil.pipeline.model;

import dev.vigil.common.model.MetricPoint;

/**
 * Flink's type information for {@link MetricPoint}: an atomic type serialized by {@link
 * MetricPointSerializer}. {@code MetricPoint} is in the Flink-free common module and cannot point
 * at it with {@code @TypeInfo}, so the workflow names it where points enter a stream ({@code
 * returns(MetricPointTypeInfo.INSTANCE)}, output tags).
 */
public final class MetricPointTypeInfo extends SerializerTypeInfo<MetricPoint> {

    private static final long serialVersionUID = 1L;

    public static final MetricPointTypeInfo INSTANCE = new MetricPointTypeInfo();

    private MetricPointTypeInfo() {
        super(MetricPoint.class, MetricPointSerializer.INSTANCE);
    }
}

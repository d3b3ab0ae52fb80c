package dev.vigil.pipeline.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink's type information for {@link ScoredPoint}: an atomic type serialized by {@link
 * ScoredPointSerializer}. {@code ScoredPoint} points at it with {@code @TypeInfo}, so {@code
 * TypeInformation.of(ScoredPoint.class)} and the type extraction of every operator use it.
 */
public final class ScoredPointTypeInfo extends SerializerTypeInfo<ScoredPoint> {

    private static final long serialVersionUID = 1L;

    public static final ScoredPointTypeInfo INSTANCE = new ScoredPointTypeInfo();

    private ScoredPointTypeInfo() {
        super(ScoredPoint.class, ScoredPointSerializer.INSTANCE);
    }

    /** Referenced by {@code @TypeInfo} on {@link ScoredPoint}. */
    public static final class Factory extends TypeInfoFactory<ScoredPoint> {
        @Override
        public TypeInformation<ScoredPoint> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}

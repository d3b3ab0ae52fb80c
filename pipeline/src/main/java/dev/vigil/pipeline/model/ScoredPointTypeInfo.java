package dev.vigil.pipeline.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information for {@link ScoredPoint}: an atomic type serialized by {@link
 * ScoredPointSerializer}. {@code ScoredPoint} points at it with {@code @TypeInfo}, so {@code
 * TypeInformation.of(ScoredPoint.class)} and the type extraction of every operator use it.
 */
public final class ScoredPointTypeInfo extends TypeInformation<ScoredPoint> {

    private static final long serialVersionUID = 1L;

    public static final ScoredPointTypeInfo INSTANCE = new ScoredPointTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ScoredPoint> getTypeClass() {
        return ScoredPoint.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ScoredPoint> createSerializer(SerializerConfig config) {
        return ScoredPointSerializer.INSTANCE;
    }

    /** Flink 1.x still calls this variant in places; it is gone in 2.x (hence no override). */
    @SuppressWarnings("deprecation")
    public TypeSerializer<ScoredPoint> createSerializer(ExecutionConfig config) {
        return ScoredPointSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ScoredPoint";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ScoredPointTypeInfo;
    }

    @Override
    public int hashCode() {
        return ScoredPointTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ScoredPointTypeInfo;
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

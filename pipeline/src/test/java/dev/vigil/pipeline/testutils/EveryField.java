package dev.vigil.pipeline.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Sets every instance field of a record to a distinct non-default value by reflection and compares
 * records field by field: a serializer test built on it fails when a field is added to the record
 * without a line in its hand-written serializer.
 */
public final class EveryField {

    private EveryField() {}

    /**
     * Fills the long, double, int, boolean, String and String[] fields of {@code target} (booleans
     * with {@code flag}); fields of a type in {@code skipped} are left to the caller, any other
     * type fails (extend this class and the serializer).
     */
    public static void fill(Object target, int seed, boolean flag, Set<Class<?>> skipped)
            throws IllegalAccessException {
        int n = seed;
        for (Field f : instanceFields(target.getClass())) {
            n++;
            Class<?> type = f.getType();
            if (type == long.class) {
                f.setLong(target, 1_000_000_007L * n);
            } else if (type == double.class) {
                f.setDouble(target, n + 0.25);
            } else if (type == int.class) {
                f.setInt(target, 1000 + n);
            } else if (type == boolean.class) {
                f.setBoolean(target, flag);
            } else if (type == String.class) {
                f.set(target, "s" + n);
            } else if (type == byte[].class) {
                f.set(target, new byte[] {(byte) n, 0, (byte) 0xff, (byte) (n >> 8)});
            } else if (type == String[].class) {
                f.set(target, new String[] {"k" + n, "v" + n, "k" + (n + 1), "v" + (n + 1)});
            } else if (!skipped.contains(type)) {
                throw new AssertionError(
                        "EveryField does not know field type "
                                + type
                                + " of "
                                + f
                                + ": extend the test and the serializer");
            }
        }
    }

    /** Asserts every instance field equal, except fields of a type in {@code skipped}. */
    public static void assertSameFields(Object actual, Object expected, Set<Class<?>> skipped)
            throws IllegalAccessException {
        for (Field f : instanceFields(expected.getClass())) {
            if (!skipped.contains(f.getType())) {
                assertThat(f.get(actual)).as(f.getName()).isEqualTo(f.get(expected));
            }
        }
    }

    private static List<Field> instanceFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }
}

package dev.vigil.connectors.influxdb.testutils;

import java.util.Objects;

/** A small POJO the integration tests stream through the sink. */
public class SensorReading {

    private long id;
    private String device;
    private double value;

    public SensorReading() {}

    public SensorReading(long id, String device, double value) {
        this.id = id;
        this.device = device;
        this.value = value;
    }

    /** Reading number {@code id}: device {@code dev-(id % 10)}, value {@code id / 4.0}. */
    public static SensorReading of(long id) {
        return new SensorReading(id, "dev-" + (id % 10), id / 4.0);
    }

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }

    public String getDevice() {
        return device;
    }

    public void setDevice(String device) {
        this.device = device;
    }

    public double getValue() {
        return value;
    }

    public void setValue(double value) {
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SensorReading)) {
            return false;
        }
        SensorReading that = (SensorReading) o;
        return id == that.id
                && Double.compare(that.value, value) == 0
                && Objects.equals(device, that.device);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, device, value);
    }

    @Override
    public String toString() {
        return "SensorReading{id=" + id + ", device=" + device + ", value=" + value + '}';
    }
}

package io.lattice.core.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.DoubleStream;

/**
 * An immutable, regularly stepped series of finite values in one unit: value {@code i} holds for
 * the half-open interval {@code [start + i·step, start + (i+1)·step)}. Signals are hourly
 * ({@link #hourly}); other steps are allowed for sub-hourly data and tests.
 *
 * <p>A value describes its whole step: for power (kW, kW_th) it is the mean over the step; for
 * intensities and prices (gCO2e/kWh, USD/MWh) it is the figure that applies during the step.
 * {@link #valueAt(Instant)} therefore returns the value of the step containing the instant, with no
 * interpolation.
 *
 * <p>Slices share the backing array (nothing can write to it), so slicing a year of data per
 * forecast costs nothing. Instances are immutable and safe to share between threads. No method
 * accepts or returns {@code null}.
 */
public final class TimeSeries implements Iterable<TimeSeries.Point> {

    /** One value and the start of the step it holds for. */
    public record Point(Instant time, double value) {
        public Point {
            Objects.requireNonNull(time, "time");
        }
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Instant start;
    private final Duration step;
    private final long stepNanos;
    private final double[] data;
    private final int offset;
    private final int length;
    private final String unit;

    private TimeSeries(Instant start, Duration step, double[] data, int offset, int length, String unit) {
        this.start = start;
        this.step = step;
        this.stepNanos = step.toNanos();
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.unit = unit;
    }

    /**
     * A series with the given step. The array is copied.
     *
     * @param start  the start of the first step
     * @param step   positive, at least one millisecond
     * @param values finite values (NaN and infinities are rejected, naming the index and time)
     * @param unit   the unit of every value, for example {@code USD/MWh}; not blank
     * @throws IllegalArgumentException when a rule above is broken
     */
    public static TimeSeries of(Instant start, Duration step, double[] values, String unit) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(unit, "unit");
        if (step.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("step must be at least 1 ms but was " + step);
        }
        if (unit.isBlank()) {
            throw new IllegalArgumentException("unit must not be blank");
        }
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i])) {
                throw new IllegalArgumentException("value " + i + " (" + start.plus(step.multipliedBy(i))
                        + ") is " + copy[i] + "; a series holds finite values only");
            }
        }
        // the end instant must be representable: fails here, not on first use
        start.plus(step.multipliedBy(copy.length));
        return new TimeSeries(start, step, copy, 0, copy.length, unit);
    }

    /** A series with one value per hour; see {@link #of}. */
    public static TimeSeries hourly(Instant start, double[] values, String unit) {
        return of(start, Duration.ofHours(1), values, unit);
    }

    /** The start of the first step. */
    public Instant start() {
        return start;
    }

    /** The end of the last step (exclusive); equals {@link #start()} for an empty series. */
    public Instant end() {
        return timeAt(length);
    }

    /** The length of every step. */
    public Duration step() {
        return step;
    }

    /** The unit of every value, for example {@code gCO2e/kWh}. */
    public String unit() {
        return unit;
    }

    /** The number of values. */
    public int size() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * The value at {@code index}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public double get(int index) {
        Objects.checkIndex(index, length);
        return data[offset + index];
    }

    /** The start of step {@code index}; {@code index == size()} gives {@link #end()}. */
    public Instant timeAt(int index) {
        Objects.checkIndex(index, length + 1);
        return start.plus(step.multipliedBy(index));
    }

    /** True when {@code instant} falls inside {@code [start, end)}. */
    public boolean covers(Instant instant) {
        return indexOrMinusOne(instant) >= 0;
    }

    /**
     * The index of the step containing {@code instant}.
     *
     * @throws IllegalArgumentException when the series does not cover the instant
     */
    public int indexOf(Instant instant) {
        int i = indexOrMinusOne(instant);
        if (i < 0) {
            throw new IllegalArgumentException(instant + " is outside this series [" + start + ", " + end() + ")");
        }
        return i;
    }

    /**
     * The value of the step containing {@code instant}.
     *
     * @throws IllegalArgumentException when the series does not cover the instant
     */
    public double valueAt(Instant instant) {
        return data[offset + indexOf(instant)];
    }

    /** The value of the step containing {@code instant}, or empty when the series does not cover it. */
    public OptionalDouble find(Instant instant) {
        int i = indexOrMinusOne(instant);
        return i < 0 ? OptionalDouble.empty() : OptionalDouble.of(data[offset + i]);
    }

    private int indexOrMinusOne(Instant instant) {
        long i = floorIndex(instant);
        return i >= 0 && i < length ? (int) i : -1;
    }

    /**
     * floor((instant − start) / step) for any instant: the index the step containing {@code instant}
     * would have if the series went on forever both ways; negative before the start.
     */
    long floorIndex(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        // epoch seconds are within ±3.2e16, so this difference cannot overflow
        long seconds = instant.getEpochSecond() - start.getEpochSecond();
        if (Math.abs(seconds) < 9_000_000_000L) {
            long nanos = seconds * NANOS_PER_SECOND + (instant.getNano() - start.getNano());
            return Math.floorDiv(nanos, stepNanos);
        }
        // centuries away: exact but slower (Duration division goes through BigDecimal)
        Duration d = Duration.between(start, instant);
        long q = d.dividedBy(step);
        if (d.isNegative() && !step.multipliedBy(q).equals(d)) {
            q--;
        }
        return q;
    }

    /**
     * The values from {@code fromIndex} (inclusive) to {@code toIndex} (exclusive), sharing this
     * series' storage.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= fromIndex <= toIndex <= size()}
     */
    public TimeSeries slice(int fromIndex, int toIndex) {
        Objects.checkFromToIndex(fromIndex, toIndex, length);
        return new TimeSeries(timeAt(fromIndex), step, data, offset + fromIndex, toIndex - fromIndex, unit);
    }

    /**
     * The steps that overlap {@code [from, to)}, clipped to this series; empty when none do.
     *
     * @throws IllegalArgumentException when {@code to} is before {@code from}
     */
    public TimeSeries slice(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("slice end " + to + " is before its start " + from);
        }
        int first = clampIndex(floorIndex(from));
        if (from.equals(to)) {
            return slice(first, first);
        }
        long toFloor = floorIndex(to);
        long toCeil = toFloor >= 0 && toFloor < length && !timeAt((int) toFloor).equals(to) ? toFloor + 1 : toFloor;
        int last = clampIndex(toCeil);
        return slice(first, Math.max(first, last));
    }

    private int clampIndex(long i) {
        return (int) Math.max(0, Math.min(length, i));
    }

    /** The last {@code n} values (all of them when there are fewer). */
    public TimeSeries last(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 but was " + n);
        }
        return slice(Math.max(0, length - n), length);
    }

    /** A copy of the values. */
    public double[] values() {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    /** The values in order. */
    public DoubleStream stream() {
        return Arrays.stream(data, offset, offset + length);
    }

    /** The arithmetic mean of the values, or empty for an empty series. */
    public OptionalDouble mean() {
        return stream().average();
    }

    /** The smallest value, or empty for an empty series. */
    public OptionalDouble min() {
        return stream().min();
    }

    /** The largest value, or empty for an empty series. */
    public OptionalDouble max() {
        return stream().max();
    }

    /**
     * A new series with {@code f} applied to every value, in the unit {@code f} produces.
     *
     * @throws IllegalArgumentException when {@code f} produces a value that is not finite
     */
    public TimeSeries map(DoubleUnaryOperator f, String newUnit) {
        Objects.requireNonNull(f, "f");
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = f.applyAsDouble(data[offset + i]);
        }
        return of(start, step, out, newUnit);
    }

    /** The same values starting at {@code newStart}, for replaying a recorded year at another time. */
    public TimeSeries withStart(Instant newStart) {
        Objects.requireNonNull(newStart, "newStart");
        newStart.plus(step.multipliedBy(length));
        return new TimeSeries(newStart, step, data, offset, length, unit);
    }

    @Override
    public Iterator<Point> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < length;
            }

            @Override
            public Point next() {
                if (next >= length) {
                    throw new NoSuchElementException();
                }
                Point p = new Point(timeAt(next), data[offset + next]);
                next++;
                return p;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSeries other
                && start.equals(other.start)
                && step.equals(other.step)
                && unit.equals(other.unit)
                && Arrays.equals(data, offset, offset + length, other.data, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(start, step, unit, length);
        for (int i = 0; i < length; i++) {
            h = 31 * h + Double.hashCode(data[offset + i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "TimeSeries[" + start + " + " + length + " × " + step + ", " + unit + "]";
    }
}

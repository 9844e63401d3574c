package io.lattice.core.signal;

import java.io.Reader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Parsers for hourly grid signal files: the Electricity Maps-style carbon intensity CSV and the
 * hourly day-ahead price CSV (the formats of {@code shared/data/grid/}).
 *
 * <p>Contract for both: the first line is a header; columns are found by name, not position, so
 * extra or reordered columns do not matter. Rows must be hourly and consecutive in UTC — a gap, a
 * repeat or an out-of-order row is an error naming its line, never silently filled or dropped,
 * because a shifted hour would quietly move every placement decision by an hour. An empty, NaN or
 * otherwise non-numeric value is an error naming its line and column (1-based CSV field number).
 * The caller opens and closes the {@link Reader}; it should decode UTF-8 (the carbon header holds
 * {@code ₂}, though an ASCII {@code 2} is accepted too).
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class GridCsv {

    private static final Duration HOUR = Duration.ofHours(1);

    private GridCsv() {
    }

    /** {@link #parseCarbon(Reader, String, CarbonBasis)} with {@link CarbonBasis#DEFAULT} (life-cycle). */
    public static TimeSeries parseCarbon(Reader in, String sourceName) {
        return parseCarbon(in, sourceName, CarbonBasis.DEFAULT);
    }

    /**
     * Reads an hourly carbon intensity file with columns {@code Datetime (UTC)} (for example
     * {@code 2023-01-01 00:00:00}, read as UTC when it carries no offset) and
     * {@code Carbon Intensity gCO₂eq/kWh (direct)} and/or {@code ... (LCA)} (newer exports say
     * {@code (Life cycle)}; both are accepted).
     *
     * @param in         the file's text; not closed here
     * @param sourceName a name for error messages, usually the file name
     * @param basis      which of the two intensity columns to read
     * @return hourly intensity in gCO2e/kWh ({@link SignalKind#CARBON_INTENSITY})
     * @throws SignalFormatException when a column is missing, a value is not a finite number
     *                               {@code >= 0}, or the rows are not consecutive hours
     */
    public static TimeSeries parseCarbon(Reader in, String sourceName, CarbonBasis basis) {
        Objects.requireNonNull(basis, "basis");
        Predicate<String> column = switch (basis) {
            case DIRECT -> h -> h.startsWith("carbon intensity") && h.endsWith("(direct)");
            case LIFECYCLE -> h -> h.startsWith("carbon intensity")
                    && (h.endsWith("(lca)") || h.endsWith("(life cycle)") || h.endsWith("(lifecycle)"));
        };
        String label = basis == CarbonBasis.DIRECT
                ? "Carbon Intensity gCO₂eq/kWh (direct)"
                : "Carbon Intensity gCO₂eq/kWh (LCA)";
        return parse(in, sourceName, column, label, SignalKind.CARBON_INTENSITY, false);
    }

    /**
     * Reads an hourly price file with columns {@code Datetime (UTC)} (for example
     * {@code 2023-01-01 00:00:00+00:00}) and {@code Price (USD/MWh)}. Negative prices are kept:
     * they are real (surplus renewables) and are exactly when flexible load should run. Other
     * columns, such as {@code Datetime (Local)}, are ignored. A price column in another currency is
     * rejected rather than converted.
     *
     * @param in         the file's text; not closed here
     * @param sourceName a name for error messages, usually the file name
     * @return hourly price in USD/MWh ({@link SignalKind#PRICE})
     * @throws SignalFormatException when a column is missing or in another unit, a value is not a
     *                               finite number, or the rows are not consecutive hours
     */
    public static TimeSeries parsePrice(Reader in, String sourceName) {
        return parse(in, sourceName, h -> h.equals("price (usd/mwh)"), "Price (USD/MWh)", SignalKind.PRICE, true);
    }

    private static TimeSeries parse(Reader in, String source, Predicate<String> valueColumn, String valueLabel,
                                    SignalKind kind, boolean negativeAllowed) {
        Objects.requireNonNull(source, "sourceName");
        Csv csv = new Csv(source);
        List<Csv.Row> rows = new ArrayList<>(8_784);
        List<String> header = csv.read(in, rows::add);
        List<String> folded = header.stream().map(Csv::fold).toList();
        int timeCol = folded.indexOf("datetime (utc)");
        if (timeCol < 0) {
            throw new SignalFormatException(source, 1, 0, "no 'Datetime (UTC)' column in header " + header);
        }
        int valueCol = -1;
        for (int i = 0; i < folded.size(); i++) {
            if (valueColumn.test(folded.get(i))) {
                valueCol = i;
                break;
            }
        }
        if (valueCol < 0) {
            String hint = kind == SignalKind.PRICE && folded.stream().anyMatch(h -> h.startsWith("price ("))
                    ? "; prices must be in USD/MWh (convert the file first)"
                    : "";
            throw new SignalFormatException(source, 1, 0,
                    "no '" + valueLabel + "' column in header " + header + hint);
        }
        if (rows.isEmpty()) {
            throw new SignalFormatException(source, 1, 0, "header but no data rows");
        }
        int needed = Math.max(timeCol, valueCol) + 1;
        double[] values = new double[rows.size()];
        Instant start = null;
        for (int i = 0; i < rows.size(); i++) {
            Csv.Row row = rows.get(i);
            if (row.fields().size() < needed) {
                throw new SignalFormatException(source, row.line(), 0, "has " + row.fields().size()
                        + " fields but the header names " + header.size() + "; column " + needed + " is missing");
            }
            Instant t = time(source, row, timeCol);
            if (start == null) {
                start = t;
            } else {
                Instant expected = start.plus(HOUR.multipliedBy(i));
                if (!t.equals(expected)) {
                    throw new SignalFormatException(source, row.line(), timeCol + 1, "expected " + expected
                            + " (one hour after the previous row) but found " + t
                            + "; rows must be consecutive hours in UTC, with no gaps or repeats");
                }
            }
            double v = csv.number(row, valueCol, header.get(valueCol));
            if (!negativeAllowed && v < 0) {
                throw new SignalFormatException(source, row.line(), valueCol + 1,
                        header.get(valueCol) + " must be >= 0 but was " + v);
            }
            values[i] = v;
        }
        return TimeSeries.hourly(start, values, kind.unit());
    }

    private static Instant time(String source, Csv.Row row, int col) {
        String text = row.fields().get(col);
        try {
            return Timestamps.parse(text, ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new SignalFormatException(source, row.line(), col + 1,
                    "not a timestamp like 2023-01-01 00:00:00[+00:00]: '" + text.trim() + "'");
        }
    }
}

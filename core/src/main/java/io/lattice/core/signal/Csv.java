package io.lattice.core.signal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A small RFC 4180 reader for the grid files: comma-separated, optional double quotes (a doubled
 * quote inside quotes is a literal quote), one record per line. Quoted fields spanning lines are
 * not supported (none of the grid formats has them) and are reported, not guessed at.
 *
 * <p>Not thread-safe; one instance reads one input once.
 */
final class Csv {

    /** One data record with its 1-based line number. */
    record Row(int line, List<String> fields) {
    }

    private final String source;

    Csv(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Reads the header and hands every non-blank data record to {@code rows}.
     *
     * @return the header fields, trimmed
     */
    List<String> read(Reader in, Consumer<Row> rows) {
        Objects.requireNonNull(in, "in");
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        try {
            String first = r.readLine();
            if (first == null || first.isBlank()) {
                throw new SignalFormatException(source, 1, 0, "empty input; expected a CSV header");
            }
            if (first.charAt(0) == '\uFEFF') { // a byte-order mark some spreadsheet tools write
                first = first.substring(1);
            }
            List<String> header = split(first, 1).stream().map(String::trim).toList();
            int lineNo = 1;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (!line.isBlank()) {
                    rows.accept(new Row(lineNo, split(line, lineNo)));
                }
            }
            return header;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source, e);
        }
    }

    List<String> split(String line, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
            i++;
        }
        if (quoted) {
            throw new SignalFormatException(source, lineNo, out.size() + 1, "unterminated quoted field");
        }
        out.add(field.toString());
        return out;
    }

    /**
     * A header name folded for matching: lower case, subscript two as {@code 2}, runs of spaces as
     * one, so {@code Carbon Intensity gCO₂eq/kWh (LCA)} and {@code carbon intensity gCO2eq/kWh (lca)}
     * match.
     */
    static String fold(String header) {
        return header.replace('\u2082', '2').toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }

    /**
     * A finite decimal number, or a {@link SignalFormatException} naming the line and column. Only
     * plain decimal notation is accepted (no {@code NaN}, {@code Infinity}, hex or type suffixes,
     * which {@link Double#parseDouble} would let through).
     */
    double number(Row row, int column, String what) {
        String text = row.fields().get(column).trim();
        if (text.isEmpty()) {
            throw new SignalFormatException(source, row.line(), column + 1, what + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) {
                throw new SignalFormatException(source, row.line(), column + 1,
                        what + " is not a finite number: '" + text + "'");
            }
        }
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SignalFormatException(source, row.line(), column + 1,
                    what + " is not a finite number: '" + text + "'");
        }
    }
}

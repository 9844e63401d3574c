package io.lattice.core.signal;

import java.util.Objects;

/**
 * Input that is not a valid signal file: the message names the source, the line and column (both
 * 1-based; 0 when not known) and the rule that was broken, so a person can open the file and fix it.
 *
 * <p>Thrown by the parsers in this package. Edge code that loads a user's file turns it into the
 * error its caller understands (a CLI message, an OpenAI error JSON); it is unchecked because a bad
 * file is a configuration error, not something to retry.
 */
public final class SignalFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * @param source a name for the input, for example its file name
     * @param line   1-based line, or 0 when the problem is not tied to one line
     * @param column 1-based column (a CSV field number or a character position), or 0
     * @param detail what is wrong, for example {@code not a number: 'abc'}
     */
    public SignalFormatException(String source, int line, int column, String detail) {
        super(format(source, line, column, detail));
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.column = column;
    }

    private static String format(String source, int line, int column, String detail) {
        StringBuilder b = new StringBuilder(Objects.requireNonNull(source, "source"));
        if (line > 0) {
            b.append(" line ").append(line);
            if (column > 0) {
                b.append(", column ").append(column);
            }
        }
        return b.append(": ").append(Objects.requireNonNull(detail, "detail")).toString();
    }

    /** The name of the input, as given to the parser. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, or 0 when it is not tied to one line. */
    public int line() {
        return line;
    }

    /** The 1-based column (CSV field number, or character position in JSON), or 0 when not known. */
    public int column() {
        return column;
    }
}

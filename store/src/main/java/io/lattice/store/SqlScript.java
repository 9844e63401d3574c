package io.lattice.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements: at each {@code ;} that is outside a quoted string
 * ({@code '…'}), a quoted identifier ({@code "…"}) and a comment ({@code -- …} or {@code /* … *}{@code /}).
 * Comments are dropped; empty statements are skipped.
 *
 * <p>Not supported (none of our scripts needs them yet): trigger bodies ({@code BEGIN … END;}) and
 * PostgreSQL dollar-quoted bodies, whose inner semicolons would split the statement.
 */
final class SqlScript {

    private SqlScript() {
    }

    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = script.length();
        int i = 0;
        while (i < n) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end;          // keep the newline as a separator
            } else if (c == '/' && next == '*') {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("SQL script has an unterminated /* comment at offset " + i);
                }
                cur.append(' ');
                i = end + 2;
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(script, i, c);
                cur.append(script, i, end + 1);
                i = end + 1;
            } else if (c == ';') {
                add(out, cur);
                i++;
            } else {
                cur.append(c);
                i++;
            }
        }
        add(out, cur);
        return out;
    }

    /** Index of the quote that closes the one at {@code start}; a doubled quote is an escaped one. */
    private static int closingQuote(String s, int start, char q) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == q) {
                if (i + 1 < s.length() && s.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("SQL script has an unterminated " + q + " quote at offset " + start);
    }

    private static void add(List<String> out, StringBuilder cur) {
        String stmt = cur.toString().strip();
        if (!stmt.isEmpty()) {
            out.add(stmt);
        }
        cur.setLength(0);
    }
}

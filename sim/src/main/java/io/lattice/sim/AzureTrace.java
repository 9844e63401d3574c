package io.lattice.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Reads the Azure LLM inference trace format ({@code TIMESTAMP,ContextTokens,GeneratedTokens}, timestamps
 * like {@code 2023-11-16 18:15:46.6805900}, read as UTC) and lays it out as a day of arrivals.
 *
 * <p>Design note: the public conversation trace covers about one hour. {@link #replay} repeats that
 * hour's arrival pattern: copy {@code h} starts at {@code start + h hours} and keeps every request's offset
 * from the trace's first timestamp unchanged, so the rate and burstiness within the hour are the trace's
 * own. A trace spanning more than one period is compressed linearly to fit, so copies never overlap.
 * Every copy has the same load; the diurnal swing of real traffic is not modelled (an assumption: it
 * keeps the comparison across hours about the grid, not about traffic).
 *
 * <p>Stateless; safe from any thread.
 */
public final class AzureTrace {

    private AzureTrace() {
    }

    /**
     * The trace's requests as offsets from its earliest timestamp, sorted by time.
     *
     * @param in     the file's text; not closed here
     * @param source a name for error messages
     * @throws IllegalArgumentException naming the line when a row is malformed or the file has no rows
     */
    public static List<Request> parse(Reader in, String source) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<Instant> times = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        try {
            String header = r.readLine();
            if (header == null) {
                throw new IllegalArgumentException(source + ": empty file");
            }
            List<String> cols = List.of(header.strip().toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
            int tc = cols.indexOf("timestamp");
            int pc = cols.indexOf("contexttokens");
            int oc = cols.indexOf("generatedtokens");
            if (tc < 0 || pc < 0 || oc < 0) {
                throw new IllegalArgumentException(source + ": line 1: header must name TIMESTAMP, ContextTokens and"
                        + " GeneratedTokens but was '" + header + "'");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length < cols.size()) {
                    throw new IllegalArgumentException(source + ": line " + lineNo + ": expected " + cols.size()
                            + " fields but found " + f.length);
                }
                try {
                    times.add(LocalDateTime.parse(f[tc].strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC));
                    int p = Integer.parseInt(f[pc].strip());
                    int o = Integer.parseInt(f[oc].strip());
                    if (p < 0 || o < 0) {
                        throw new NumberFormatException("negative token count");
                    }
                    tokens.add(new int[] {p, o});
                } catch (DateTimeParseException | NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        if (times.isEmpty()) {
            throw new IllegalArgumentException(source + ": header but no requests");
        }
        Instant first = times.stream().min(Comparator.naturalOrder()).orElseThrow();
        List<Request> out = new ArrayList<>(times.size());
        for (int i = 0; i < times.size(); i++) {
            out.add(new Request(Duration.between(first, times.get(i)), tokens.get(i)[0], tokens.get(i)[1]));
        }
        out.sort(Comparator.comparing(Request::offset));
        return List.copyOf(out);
    }

    /**
     * Lays {@code trace} out as {@code copies} consecutive copies of {@code period} each from {@code start}
     * (see the class note), then keeps a seeded uniform sample of at most {@code sample} of them
     * ({@code sample <= 0}: keep all). Sampling thins the load; it is for quick runs.
     *
     * @return arrivals sorted by time
     */
    public static List<Arrival> replay(List<Request> trace, Instant start, Duration period, int copies, int sample,
                                       long seed) {
        Objects.requireNonNull(start, "start");
        if (trace.isEmpty() || copies < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("replay needs requests, copies >= 1 and a positive period");
        }
        long spanNanos = trace.getLast().offset().toNanos();
        long periodNanos = period.toNanos();
        double scale = spanNanos >= periodNanos ? (periodNanos - 1) / (double) spanNanos : 1.0;
        List<Arrival> all = new ArrayList<>(trace.size() * copies);
        for (int c = 0; c < copies; c++) {
            Instant base = start.plus(period.multipliedBy(c));
            for (Request q : trace) {
                all.add(new Arrival(base.plusNanos(Math.round(q.offset().toNanos() * scale)), q.promptTokens(),
                        q.outputTokens()));
            }
        }
        if (sample > 0 && sample < all.size()) {
            // partial Fisher-Yates: a uniform sample without replacement, repeatable by seed
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < sample; i++) {
                int j = i + random.nextInt(all.size() - i);
                Arrival t = all.get(i);
                all.set(i, all.get(j));
                all.set(j, t);
            }
            all = new ArrayList<>(all.subList(0, sample));
        }
        all.sort(Comparator.comparing(Arrival::at));
        return List.copyOf(all);
    }

    /**
     * One trace row.
     *
     * @param offset       time after the trace's earliest request
     * @param promptTokens context tokens
     * @param outputTokens generated tokens
     */
    public record Request(Duration offset, int promptTokens, int outputTokens) {
    }
}

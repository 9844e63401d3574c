package io.lattice.node;

import io.helidon.webserver.http.ServerRequest;
import io.lattice.api.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/** Reads request bodies into memory, refusing those over the configured limit with 413. */
final class Bodies {

    private Bodies() {
    }

    /**
     * The whole body, or an empty array when there is none.
     *
     * @throws io.lattice.api.ApiException 413 when the body is larger than {@code limit} bytes
     */
    static byte[] read(ServerRequest req, long limit) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > limit) {
            // refuse before reading a byte of it
            throw ApiError.bodyTooLarge(limit).toException();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            // one byte more than allowed tells a chunked body that is too large from one that just fits
            byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 16));
            if (body.length > limit) {
                throw ApiError.bodyTooLarge(limit).toException();
            }
            return body;
        } catch (IOException | UncheckedIOException e) {
            // the client broke off mid-body; it will hardly read the answer, but it is its fault, not a bug
            throw ApiError.malformedJson("the body could not be read to its end").toException();
        }
    }
}

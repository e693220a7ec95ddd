package io.stowage.gateway.supabase;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body as it streams in, as storage-js sends Blobs: the small
 * fields before the first file ({@code cacheControl}, {@code metadata}) are collected, then that file's
 * bytes are handed on as a {@link ReadStream} with back-pressure to the request; parts after it are read
 * and dropped. Vert.x's own form decoder only gives the fields once the whole body has arrived, too late
 * for a file that is streamed on while it arrives.
 */
final class StreamingForm {

    /** Most bytes of one part's headers, and of one field's value: fields are small; a file is streamed. */
    static final int MAX_HEADERS = 16 * 1024;
    static final int MAX_FIELD = 64 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PARAM = Pattern.compile("(?i);\\s*(name|filename)=\"([^\"]*)\"");
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What the form gave: its fields, and the file, or why it could not be read. */
    interface Listener {

        /** The first file part has begun: {@code content} streams its bytes (paused until a handler is set). */
        void file(Map<String, String> fields, String contentType, ReadStream<Buffer> content);

        /** The form is malformed, too large before its file, or has no file. Nothing more is delivered. */
        void refused(String reason);
    }

    private enum State { FIRST, HEADERS, FIELD, AFTER_BOUNDARY, FILE, DONE }

    private final HttpServerRequest request;
    private final Listener listener;
    /** {@code \r\n--boundary}: the body is read as if it began with a line break, so the first boundary looks like the rest. */
    private final byte[] delimiter;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private Buffer pending = Buffer.buffer("\r\n");
    private State state = State.FIRST;
    private String partName;
    private FileContent file;

    private StreamingForm(HttpServerRequest request, String boundary, Listener listener) {
        this.request = request;
        this.listener = listener;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The boundary of a {@code multipart/form-data} content type, or null when it has none. */
    static String boundary(String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return null;
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        return boundary.isEmpty() || boundary.length() > 70 ? null : boundary;
    }

    /** Starts reading {@code request}'s body; it must be paused, with no handler set yet. */
    static void read(HttpServerRequest request, String boundary, Listener listener) {
        StreamingForm form = new StreamingForm(request, boundary, listener);
        request.handler(form::received);
        request.endHandler(v -> form.ended());
        request.exceptionHandler(form::failed);
        request.resume();
    }

    private void received(Buffer chunk) {
        if (state == State.DONE) {
            return;
        }
        pending.appendBuffer(chunk);
        parse();
    }

    private void parse() {
        while (true) {
            switch (state) {
                case FIRST -> {
                    int at = indexOf(pending, delimiter, 0);
                    if (at < 0) {
                        // a preamble is allowed but has no use: keep only what could still begin the boundary
                        keepTail(delimiter.length - 1);
                        return;
                    }
                    pending = pending.getBuffer(at + delimiter.length, pending.length());
                    state = State.AFTER_BOUNDARY;
                }
                case AFTER_BOUNDARY -> {
                    if (pending.length() < 2) {
                        return;
                    }
                    String next = pending.getString(0, 2, "ISO-8859-1");
                    pending = pending.getBuffer(2, pending.length());
                    if (next.equals("--")) {
                        finish();
                        listener.refused("the form has no file");
                        return;
                    }
                    if (!next.equals("\r\n")) {
                        refuse("the form is malformed");
                        return;
                    }
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    int end = indexOf(pending, HEADER_END, 0);
                    if (end < 0) {
                        if (pending.length() > MAX_HEADERS) {
                            refuse("a form part's headers are too large");
                        }
                        return;
                    }
                    String headers = pending.getString(0, end, "UTF-8");
                    pending = pending.getBuffer(end + HEADER_END.length, pending.length());
                    if (!part(headers)) {
                        return;
                    }
                }
                case FIELD -> {
                    int at = indexOf(pending, delimiter, 0);
                    if (at < 0) {
                        if (pending.length() > MAX_FIELD + delimiter.length) {
                            refuse("the form field '" + partName + "' is too large");
                        }
                        return;
                    }
                    fields.put(partName, pending.getString(0, at, "UTF-8"));
                    pending = pending.getBuffer(at + delimiter.length, pending.length());
                    state = State.AFTER_BOUNDARY;
                }
                case FILE -> {
                    if (file.paused) {
                        return;
                    }
                    int at = indexOf(pending, delimiter, 0);
                    if (at >= 0) {
                        Buffer last = pending.getBuffer(0, at);
                        // the rest of the form (more parts, the closing boundary) is read and dropped
                        pending = Buffer.buffer();
                        state = State.DONE;
                        file.deliver(last);
                        file.end();
                        request.resume();
                        return;
                    }
                    // the delimiter may straddle two chunks: hold back what could be its beginning
                    int safe = pending.length() - (delimiter.length - 1);
                    if (safe > 0) {
                        Buffer chunk = pending.getBuffer(0, safe);
                        pending = pending.getBuffer(safe, pending.length());
                        file.deliver(chunk);
                    }
                    return;
                }
                case DONE -> {
                    return;
                }
            }
        }
    }

    /** Reads one part's headers: a field, or the file that ends the parsing. False once the file began or the form was refused. */
    private boolean part(String headers) {
        String disposition = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            refuse("a form part has no Content-Disposition: form-data");
            return false;
        }
        String name = null;
        String filename = null;
        Matcher m = PARAM.matcher(disposition);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase("name")) {
                name = m.group(2);
            } else {
                filename = m.group(2);
            }
        }
        if (filename == null) {
            if (name == null) {
                refuse("a form field has no name");
                return false;
            }
            if (fields.size() >= 32) {
                refuse("the form has too many fields");
                return false;
            }
            partName = name;
            state = State.FIELD;
            return true;
        }
        state = State.FILE;
        file = new FileContent();
        // nothing more is read until the file's consumer asks for it
        request.pause();
        listener.file(Map.copyOf(fields), contentType, file);
        return false;
    }

    private void ended() {
        if (state == State.FILE) {
            // the body ended inside the file: a truncated upload, which must not be stored
            state = State.DONE;
            file.fail(new IllegalStateException("the form ended before its file did"));
        } else if (state != State.DONE) {
            finish();
            listener.refused("the form has no file or is incomplete");
        }
    }

    private void failed(Throwable failure) {
        if (state == State.FILE) {
            state = State.DONE;
            file.fail(failure);
        } else {
            state = State.DONE;
        }
    }

    private void refuse(String reason) {
        finish();
        listener.refused(reason);
    }

    private void finish() {
        state = State.DONE;
        pending = Buffer.buffer();
    }

    private void keepTail(int bytes) {
        if (pending.length() > bytes) {
            pending = pending.getBuffer(pending.length() - bytes, pending.length());
        }
    }

    static int indexOf(Buffer haystack, byte[] needle, int from) {
        int last = haystack.length() - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack.getByte(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The file part's bytes; pausing it pauses the request, so a slow upstream slows the client. */
    private final class FileContent implements ReadStream<Buffer> {

        private Handler<Buffer> handler;
        private Handler<Void> endHandler;
        private Handler<Throwable> exceptionHandler;
        private boolean paused = true;
        private boolean ended;
        private boolean endDelivered;
        private Throwable failure;

        void deliver(Buffer chunk) {
            if (chunk.length() > 0 && handler != null) {
                handler.handle(chunk);
            }
        }

        void end() {
            ended = true;
            if (!paused) {
                deliverEnd();
            }
        }

        private void deliverEnd() {
            if (!endDelivered && endHandler != null) {
                endDelivered = true;
                endHandler.handle(null);
            }
        }

        void fail(Throwable cause) {
            failure = cause;
            if (exceptionHandler != null) {
                exceptionHandler.handle(cause);
            }
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            this.exceptionHandler = handler;
            if (failure != null && handler != null) {
                handler.handle(failure);
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            paused = true;
            if (!ended) {
                request.pause();
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            paused = false;
            if (ended) {
                deliverEnd();
                return this;
            }
            // what arrived while paused goes first, then the request flows again
            parse();
            if (!paused && state == State.FILE) {
                request.resume();
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return amount > 0 ? resume() : this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            this.endHandler = endHandler;
            return this;
        }
    }
}

package io.stowage.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: the request lines, targets and headers a
 * well-behaved client library would refuse to send (dot segments, raw bytes, absolute targets, no
 * Host). Every read is bounded, so a request the server leaves open is an answer of status -1.
 */
final class RawHttp {

    /** An answer: status (-1 when none came within the bound), headers (lower-case names), body, time taken. */
    record Answer(int status, Map<String, String> headers, String body, long millis) {
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line; "\n" becomes CRLF) and
     * {@code body}, then reads the answer for at most {@code timeoutMillis}.
     */
    static Answer send(int port, String head, byte[] body, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write((head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                return read(in, start, !head.startsWith("HEAD "));
            } catch (SocketTimeoutException e) {
                return new Answer(-1, Map.of(), "", (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    private static Answer read(InputStream in, long start, boolean hasBody) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return new Answer(-1, Map.of(), "(connection closed without an answer)", (System.nanoTime() - start) / 1_000_000);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!hasBody || status == 304 || status == 204) {
            // no body follows
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}

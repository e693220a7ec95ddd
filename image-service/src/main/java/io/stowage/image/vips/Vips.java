package io.stowage.image.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The part of libvips Stowage uses, bound through the Foreign Function and Memory API. Native memory
 * is owned by a confined arena per call and released on every path; images are unreferenced in
 * {@code finally} blocks. Every call blocks: run it on a worker thread, never the event loop.
 */
public final class Vips {

    private static final Linker LINKER = Linker.nativeLinker();

    private final MethodHandle versionString;
    private final MethodHandle thumbnailBuffer;
    private final MethodHandle writeToBuffer;
    private final MethodHandle imageWidth;
    private final MethodHandle imageHeight;
    private final MethodHandle errorBuffer;
    private final MethodHandle errorClear;
    private final MethodHandle objectUnref;
    private final MethodHandle gFree;

    private Vips(SymbolLookup lib) {
        MethodHandle init = downcall(lib, "vips_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle concurrency = downcall(lib, "vips_concurrency_set", FunctionDescriptor.ofVoid(JAVA_INT));
        MethodHandle cacheMax = downcall(lib, "vips_cache_set_max", FunctionDescriptor.ofVoid(JAVA_INT));
        MethodHandle blockUntrusted = downcall(lib, "vips_block_untrusted_set", FunctionDescriptor.ofVoid(JAVA_INT));
        versionString = downcall(lib, "vips_version_string", FunctionDescriptor.of(ADDRESS));
        // int vips_thumbnail_buffer(void *buf, size_t len, VipsImage **out, int width, ...) with "height", int, NULL
        thumbnailBuffer = downcall(lib, "vips_thumbnail_buffer",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(4));
        // int vips_image_write_to_buffer(VipsImage *in, const char *suffix, void **buf, size_t *size, ...) with NULL
        writeToBuffer = downcall(lib, "vips_image_write_to_buffer",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(4));
        imageWidth = downcall(lib, "vips_image_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        imageHeight = downcall(lib, "vips_image_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorBuffer = downcall(lib, "vips_error_buffer", FunctionDescriptor.of(ADDRESS));
        errorClear = downcall(lib, "vips_error_clear", FunctionDescriptor.ofVoid());
        objectUnref = downcall(lib, "g_object_unref", FunctionDescriptor.ofVoid(ADDRESS));
        gFree = downcall(lib, "g_free", FunctionDescriptor.ofVoid(ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            if ((int) init.invokeExact(arena.allocateFrom("stowage")) != 0) {
                throw new VipsException("vips_init failed: " + lastError());
            }
            // requests run in parallel on our own bounded pool, each on one libvips thread
            concurrency.invokeExact(1);
            // rendered variants are cached in S3, not in libvips' operation cache
            cacheMax.invokeExact(0);
            // loaders libvips marks untrusted (fuzzing-grade parsers) are never used on uploads
            blockUntrusted.invokeExact(1);
        } catch (VipsException e) {
            throw e;
        } catch (Throwable e) {
            throw new VipsException("libvips could not be initialised", e);
        }
    }

    /** Loads and initialises libvips from the system, e.g. {@code libvips.so.42}. */
    public static Vips load(String library) {
        try {
            return new Vips(SymbolLookup.libraryLookup(library, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new VipsException("libvips (" + library + ") is not installed: on Debian/Ubuntu, apt-get install libvips42", e);
        }
    }

    private static MethodHandle downcall(SymbolLookup lib, String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new VipsException("libvips lacks " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** The library's version, e.g. {@code 8.14.1}. */
    public String version() {
        try {
            return ((MemorySegment) versionString.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable e) {
            throw new VipsException("vips_version_string failed", e);
        }
    }

    /**
     * Decodes an encoded image, shrinks it to fit {@code width}x{@code height} (shrink-on-load where the
     * format allows) and encodes the result with a libvips suffix such as {@code .jpg[Q=80]} or {@code .webp}.
     */
    public Rendered thumbnail(byte[] encoded, int width, int height, String suffix) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment input = arena.allocate(encoded.length);
            MemorySegment.copy(encoded, 0, input, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, encoded.length);
            MemorySegment outImage = arena.allocate(ADDRESS);
            int rc = (int) thumbnailBuffer.invokeExact(input, (long) encoded.length, outImage, width,
                    arena.allocateFrom("height"), height, MemorySegment.NULL);
            if (rc != 0) {
                throw new VipsException("cannot decode the image: " + lastError());
            }
            MemorySegment image = outImage.get(ADDRESS, 0);
            try {
                int w = (int) imageWidth.invokeExact(image);
                int h = (int) imageHeight.invokeExact(image);
                MemorySegment outBuf = arena.allocate(ADDRESS);
                MemorySegment outLen = arena.allocate(JAVA_LONG);
                rc = (int) writeToBuffer.invokeExact(image, arena.allocateFrom(suffix), outBuf, outLen, MemorySegment.NULL);
                if (rc != 0) {
                    throw new VipsException("cannot encode as " + suffix + ": " + lastError());
                }
                MemorySegment buffer = outBuf.get(ADDRESS, 0);
                try {
                    long length = outLen.get(JAVA_LONG, 0);
                    return new Rendered(buffer.reinterpret(length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), w, h);
                } finally {
                    gFree.invokeExact(buffer);
                }
            } finally {
                objectUnref.invokeExact(image);
            }
        } catch (VipsException e) {
            throw e;
        } catch (Throwable e) {
            throw new VipsException("libvips call failed", e);
        }
    }

    private String lastError() {
        try {
            String message = ((MemorySegment) errorBuffer.invokeExact()).reinterpret(4096).getString(0).strip();
            errorClear.invokeExact();
            return message;
        } catch (Throwable e) {
            return "unknown libvips error";
        }
    }

    /** An encoded image and its dimensions. */
    public record Rendered(byte[] bytes, int width, int height) {
    }
}

package io.stowage.image.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of libvips Stowage uses, bound through the Foreign Function and Memory API. Native memory
 * is owned by a confined arena per call and released on every path; images are unreferenced in
 * {@code finally} blocks. Every call blocks: run it on a worker thread, never the event loop.
 */
public final class Vips {

    private static final Linker LINKER = Linker.nativeLinker();
    /** libvips' VIPS_MAX_COORD: "no limit" for one side of a thumbnail. */
    public static final int MAX_COORD = 10_000_000;

    private static final int ACCESS_SEQUENTIAL = 1;
    private static final int INTERPRETATION_B_W = 1;
    private static final int INTERPRETATION_SRGB = 22;
    private static final int EXTEND_BACKGROUND = 5;
    private static final int COMPASS_CENTRE = 0;

    private final MethodHandle versionString;
    private final MethodHandle newFromBufferSequential;
    private final MethodHandle newFromBuffer;
    private final MethodHandle thumbnailBuffer;
    private final MethodHandle thumbnailImage;
    private final MethodHandle extractArea;
    private final MethodHandle findTrim;
    private final MethodHandle flip;
    private final MethodHandle gaussblur;
    private final MethodHandle colourspace;
    private final MethodHandle flatten;
    private final MethodHandle gravity;
    private final MethodHandle smartcrop;
    private final MethodHandle hasAlpha;
    private final MethodHandle getInt;
    private final MethodHandle arrayDoubleNew;
    private final MethodHandle areaUnref;
    private final MethodHandle writeToBuffer;
    private final MethodHandle imageWidth;
    private final MethodHandle imageHeight;
    private final MethodHandle imageBands;
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
        // VipsImage *vips_image_new_from_buffer(const void *buf, size_t len, const char *options, ...)
        newFromBufferSequential = downcall(lib, "vips_image_new_from_buffer",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        newFromBuffer = downcall(lib, "vips_image_new_from_buffer",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        // int vips_thumbnail_buffer(void *buf, size_t len, VipsImage **out, int width, ...)
        //   with "height", int, "size", int, "crop", int, "option_string", char*, NULL
        thumbnailBuffer = downcall(lib, "vips_thumbnail_buffer",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT,
                        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(4));
        // int vips_thumbnail_image(VipsImage *in, VipsImage **out, int width, ...) with "height", "size", "crop"
        thumbnailImage = downcall(lib, "vips_thumbnail_image",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        extractArea = downcall(lib, "vips_extract_area",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(6));
        findTrim = downcall(lib, "vips_find_trim",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(5));
        flip = downcall(lib, "vips_flip", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        gaussblur = downcall(lib, "vips_gaussblur", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_DOUBLE, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        colourspace = downcall(lib, "vips_colourspace", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        flatten = downcall(lib, "vips_flatten", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(2));
        gravity = downcall(lib, "vips_gravity",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                        ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(5));
        smartcrop = downcall(lib, "vips_smartcrop",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(4));
        hasAlpha = downcall(lib, "vips_image_hasalpha", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getInt = downcall(lib, "vips_image_get_int", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        arrayDoubleNew = downcall(lib, "vips_array_double_new", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        areaUnref = downcall(lib, "vips_area_unref", FunctionDescriptor.ofVoid(ADDRESS));
        // int vips_image_write_to_buffer(VipsImage *in, const char *suffix, void **buf, size_t *size, ...) with NULL
        writeToBuffer = downcall(lib, "vips_image_write_to_buffer",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                Linker.Option.firstVariadicArg(4));
        imageWidth = downcall(lib, "vips_image_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        imageHeight = downcall(lib, "vips_image_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        imageBands = downcall(lib, "vips_image_get_bands", FunctionDescriptor.of(JAVA_INT, ADDRESS));
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
     * Reads the dimensions of an encoded image from its header only: a sequential, lazy load that
     * decodes no pixels, so a decompression bomb can be refused before it costs memory. For
     * animations the height is the first frame's.
     */
    public Header header(byte[] encoded) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment input = copy(arena, encoded);
            MemorySegment image = (MemorySegment) newFromBufferSequential.invokeExact(input, (long) encoded.length,
                    arena.allocateFrom(""), arena.allocateFrom("access"), ACCESS_SEQUENTIAL, MemorySegment.NULL);
            if (image.equals(MemorySegment.NULL)) {
                throw new VipsException("cannot read the image header: " + lastError());
            }
            try {
                MemorySegment orientation = arena.allocate(JAVA_INT);
                int o = (int) getInt.invokeExact(image, arena.allocateFrom("orientation"), orientation) == 0
                        ? orientation.get(JAVA_INT, 0) : 1;
                errorClear.invokeExact();
                return new Header((int) imageWidth.invokeExact(image), (int) imageHeight.invokeExact(image), o);
            } finally {
                objectUnref.invokeExact(image);
            }
        } catch (VipsException e) {
            throw e;
        } catch (Throwable e) {
            throw new VipsException("libvips call failed", e);
        }
    }

    /**
     * Decodes an encoded image, shrinks it to fit {@code width}x{@code height} (shrink-on-load where the
     * format allows) and encodes the result with a libvips suffix such as {@code .jpg[Q=80]} or {@code .webp}.
     */
    public Rendered thumbnail(byte[] encoded, int width, int height, String suffix) {
        return render(encoded, new Pipeline(null, false, width, height, Fit.INSIDE, false, false, false, false, null, 0, false, suffix, false));
    }

    /**
     * Renders one variant: load (first frame only), optional manual crop and trim, resize, cover
     * crop, flips, background fill, blur, grayscale, then encode. Every intermediate image is
     * unreferenced and every native buffer freed before this returns, whether it succeeds or not.
     */
    public Rendered render(byte[] encoded, Pipeline p) {
        List<MemorySegment> images = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment input = copy(arena, encoded);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment image;
            if (p.crop() == null && !p.trim()) {
                // the fast path: shrink-on-load straight from the buffer
                check((int) thumbnailBuffer.invokeExact(input, (long) encoded.length, out, p.width(),
                        arena.allocateFrom("height"), p.height(), arena.allocateFrom("size"), p.size(),
                        arena.allocateFrom("crop"), p.smart() ? 3 : 0,
                        arena.allocateFrom("option_string"), arena.allocateFrom("fail_on=error"), MemorySegment.NULL), "decode the image");
                image = keep(images, out);
            } else {
                image = (MemorySegment) newFromBuffer.invokeExact(input, (long) encoded.length, arena.allocateFrom("fail_on=error"), MemorySegment.NULL);
                if (image.equals(MemorySegment.NULL)) {
                    throw new VipsException("cannot decode the image: " + lastError());
                }
                images.add(image);
                if (p.crop() != null) {
                    image = extract(arena, images, image, p.crop().left(), p.crop().top(), p.crop().width(), p.crop().height());
                }
                if (p.trim()) {
                    MemorySegment l = arena.allocate(JAVA_INT), t = arena.allocate(JAVA_INT);
                    MemorySegment w = arena.allocate(JAVA_INT), h = arena.allocate(JAVA_INT);
                    check((int) findTrim.invokeExact(image, l, t, w, h, MemorySegment.NULL), "trim");
                    if (w.get(JAVA_INT, 0) > 0 && h.get(JAVA_INT, 0) > 0) {
                        image = extract(arena, images, image, l.get(JAVA_INT, 0), t.get(JAVA_INT, 0), w.get(JAVA_INT, 0), h.get(JAVA_INT, 0));
                    }
                }
                check((int) thumbnailImage.invokeExact(image, out, p.width(), arena.allocateFrom("height"), p.height(),
                        arena.allocateFrom("size"), p.size(), arena.allocateFrom("crop"), p.smart() ? 3 : 0, MemorySegment.NULL), "resize");
                image = keep(images, out);
            }
            if (p.fit() == Fit.COVER && p.coverWidth() > 0 && !p.smart()) {
                int w = (int) imageWidth.invokeExact(image), h = (int) imageHeight.invokeExact(image);
                int cw = Math.min(w, p.coverWidth()), ch = Math.min(h, p.coverHeight());
                if (cw < w || ch < h) {
                    image = extract(arena, images, image, cropStart(w, cw, p.halign(), p.shiftX(), p.focal()),
                            cropStart(h, ch, p.valign(), p.shiftY(), p.focal()), cw, ch);
                }
            }
            if (p.flipHorizontal()) {
                check((int) flip.invokeExact(image, out, 0, MemorySegment.NULL), "flip");
                image = keep(images, out);
            }
            if (p.flipVertical()) {
                check((int) flip.invokeExact(image, out, 1, MemorySegment.NULL), "flip");
                image = keep(images, out);
            }
            boolean alpha = (int) hasAlpha.invokeExact(image) != 0;
            if ((p.fill() != null || p.opaqueOutput()) && alpha) {
                image = srgb(out, images, image);
                int[] rgb = p.fill() != null ? p.fill() : new int[] {255, 255, 255};
                MemorySegment background = doubles(arena, rgb[0], rgb[1], rgb[2]);
                try {
                    check((int) flatten.invokeExact(image, out, arena.allocateFrom("background"), background, MemorySegment.NULL), "flatten");
                } finally {
                    areaUnref.invokeExact(background);
                }
                image = keep(images, out);
            }
            if (p.fill() != null && p.fit() == Fit.INSIDE && p.boxWidth() > 0 && p.boxHeight() > 0) {
                int w = (int) imageWidth.invokeExact(image), h = (int) imageHeight.invokeExact(image);
                if (w < p.boxWidth() || h < p.boxHeight()) {
                    image = srgb(out, images, image);
                    MemorySegment background = doubles(arena, p.fill()[0], p.fill()[1], p.fill()[2]);
                    try {
                        check((int) gravity.invokeExact(image, out, COMPASS_CENTRE, Math.max(w, p.boxWidth()), Math.max(h, p.boxHeight()),
                                arena.allocateFrom("extend"), EXTEND_BACKGROUND, arena.allocateFrom("background"), background,
                                MemorySegment.NULL), "fill");
                    } finally {
                        areaUnref.invokeExact(background);
                    }
                    image = keep(images, out);
                }
            }
            if (p.blurSigma() > 0) {
                check((int) gaussblur.invokeExact(image, out, p.blurSigma(), MemorySegment.NULL), "blur");
                image = keep(images, out);
            }
            if (p.grayscale()) {
                check((int) colourspace.invokeExact(image, out, INTERPRETATION_B_W, MemorySegment.NULL), "grayscale");
                image = keep(images, out);
            }
            int width = (int) imageWidth.invokeExact(image);
            int height = (int) imageHeight.invokeExact(image);
            MemorySegment outBuf = arena.allocate(ADDRESS);
            MemorySegment outLen = arena.allocate(JAVA_LONG);
            check((int) writeToBuffer.invokeExact(image, arena.allocateFrom(p.suffix()), outBuf, outLen, MemorySegment.NULL),
                    "encode as " + p.suffix());
            MemorySegment buffer = outBuf.get(ADDRESS, 0);
            try {
                long length = outLen.get(JAVA_LONG, 0);
                return new Rendered(buffer.reinterpret(length).toArray(JAVA_BYTE), width, height);
            } finally {
                gFree.invokeExact(buffer);
            }
        } catch (VipsException e) {
            throw e;
        } catch (Throwable e) {
            throw new VipsException("libvips call failed", e);
        } finally {
            for (MemorySegment image : images) {
                try {
                    objectUnref.invokeExact(image);
                } catch (Throwable ignored) {
                    // unref cannot fail on a valid image; nothing else to release
                }
            }
        }
    }

    private MemorySegment srgb(MemorySegment out, List<MemorySegment> images, MemorySegment image) throws Throwable {
        if ((int) imageBands.invokeExact(image) >= 3) {
            return image;
        }
        check((int) colourspace.invokeExact(image, out, INTERPRETATION_SRGB, MemorySegment.NULL), "convert to sRGB");
        return keep(images, out);
    }

    private MemorySegment extract(Arena arena, List<MemorySegment> images, MemorySegment image, int left, int top, int width, int height) throws Throwable {
        int w = (int) imageWidth.invokeExact(image), h = (int) imageHeight.invokeExact(image);
        int l = Math.clamp(left, 0, w - 1), t = Math.clamp(top, 0, h - 1);
        int cw = Math.clamp(width, 1, w - l), ch = Math.clamp(height, 1, h - t);
        MemorySegment out = arena.allocate(ADDRESS);
        check((int) extractArea.invokeExact(image, out, l, t, cw, ch, MemorySegment.NULL), "crop");
        return keep(images, out);
    }

    private MemorySegment doubles(Arena arena, double... values) throws Throwable {
        MemorySegment array = arena.allocate(JAVA_DOUBLE, values.length);
        for (int i = 0; i < values.length; i++) {
            array.setAtIndex(JAVA_DOUBLE, i, values[i]);
        }
        return (MemorySegment) arrayDoubleNew.invokeExact(array, values.length);
    }

    /**
     * Where a crop of {@code kept} pixels out of {@code size} starts along one side. A focal crop is
     * centred on {@code shift} (a fraction of the side); otherwise the alignment places it and
     * {@code shift} moves it inwards from the aligned edge (rightwards/downwards when centred), in
     * pixels or, between -1 and 1, as a fraction of the side. Never outside the image.
     */
    public static int cropStart(int size, int kept, Align align, double shift, boolean focal) {
        int slack = Math.max(0, size - kept);
        if (focal) {
            return Math.clamp(Math.round(shift * size - kept / 2.0), 0, slack);
        }
        long moved = Math.round(Math.abs(shift) < 1 ? shift * size : shift);
        long start = switch (align) {
            case START -> moved;
            case CENTRE -> slack / 2 + moved;
            case END -> slack - moved;
        };
        return (int) Math.clamp(start, 0, slack);
    }

    private static MemorySegment keep(List<MemorySegment> images, MemorySegment out) {
        MemorySegment image = out.get(ADDRESS, 0);
        images.add(image);
        return image;
    }

    private void check(int rc, String what) {
        if (rc != 0) {
            throw new VipsException("cannot " + what + ": " + lastError());
        }
    }

    private static MemorySegment copy(Arena arena, byte[] encoded) {
        MemorySegment input = arena.allocate(Math.max(1, encoded.length));
        MemorySegment.copy(encoded, 0, input, JAVA_BYTE, 0, encoded.length);
        return input;
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

    /** Dimensions from the header; {@code orientation} is the EXIF orientation (1 when none). */
    public record Header(int width, int height, int orientation) {
        /** Width and height as displayed, after the EXIF rotation libvips applies. */
        public Header upright() {
            return orientation >= 5 && orientation <= 8 ? new Header(height, width, 1) : new Header(width, height, 1);
        }
    }

    /** A rectangle of the source, in source pixels. */
    public record Area(int left, int top, int width, int height) {
    }

    /** How the resize fits the box: inside it, covering it (then cropped) or stretched to it. */
    public enum Fit { INSIDE, COVER, FORCE }

    /** Where a crop keeps the image: left/top, centre, right/bottom. */
    public enum Align { START, CENTRE, END }

    /**
     * One rendering, in libvips' terms; the render package builds it from the URL options.
     *
     * @param width        thumbnail width ({@link #MAX_COORD} when free)
     * @param height       thumbnail height ({@link #MAX_COORD} when free)
     * @param fit          how the box is filled
     * @param noUpscale    never enlarge
     * @param fill         background RGB for transparency and fit-in padding, or null
     * @param opaqueOutput the output format has no alpha channel (JPEG): flatten onto white or {@code fill}
     * @param suffix       libvips save suffix with options, e.g. {@code .webp[Q=80,strip]}
     */
    public record Pipeline(Area crop, boolean trim, int width, int height, Fit fit, boolean noUpscale, boolean smart,
                           boolean flipHorizontal, boolean flipVertical, int[] fill, double blurSigma, boolean grayscale,
                           String suffix, boolean opaqueOutput, int coverWidth, int coverHeight, int boxWidth, int boxHeight,
                           Align halign, Align valign, double shiftX, double shiftY, boolean focal) {

        public Pipeline(Area crop, boolean trim, int width, int height, Fit fit, boolean noUpscale, boolean smart,
                        boolean flipHorizontal, boolean flipVertical, int[] fill, double blurSigma, boolean grayscale,
                        String suffix, boolean opaqueOutput) {
            this(crop, trim, width, height, fit, noUpscale, smart, flipHorizontal, flipVertical, fill, blurSigma, grayscale,
                    suffix, opaqueOutput, 0, 0, 0, 0, Align.CENTRE, Align.CENTRE, 0, 0, false);
        }

        /** VipsSize: 0 both, 2 down only, 3 force. */
        int size() {
            if (fit == Fit.FORCE) {
                return 3;
            }
            return noUpscale ? 2 : 0;
        }
    }
}

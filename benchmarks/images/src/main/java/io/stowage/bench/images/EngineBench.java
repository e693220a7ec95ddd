package io.stowage.bench.images;

import io.stowage.image.render.Plan;
import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.OutputFormat;
import io.stowage.image.url.ThumborUrl;
import io.stowage.image.vips.Vips;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 4000x3000 JPEG to 300x200 (cover) WebP, JPEG and AVIF: image-service's own pipeline (URL options,
 * header check, libvips through FFM, one libvips thread) against sharp doing the same, in the same
 * run, on the same file. Prints the median of each and the ratio.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -jar target/images-benchmarks.jar [iterations] [sharpDir]}
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path sharpDir = Path.of(args.length > 1 ? args[1] : "sharp");
        byte[] source = photo(4000, 3000);
        Path file = Files.createTempFile("bench-4000x3000-", ".jpg");
        Files.write(file, source);
        Vips vips = Vips.load(System.getProperty("vips.library", "libvips.so.42"));
        System.out.printf("source: 4000x3000 JPEG, %d KB; libvips %s via FFM; %d iterations, median%n",
                source.length / 1024, vips.version(), iterations);

        Map<String, String> tasks = new LinkedHashMap<>();
        tasks.put("jpeg-to-webp", "unsafe/300x200/filters:format(webp):quality(80)/b/n");
        tasks.put("jpeg-to-jpeg", "unsafe/300x200/filters:format(jpeg):quality(80)/b/n");
        tasks.put("jpeg-to-avif", "unsafe/300x200/filters:format(avif):quality(80)/b/n");
        Map<String, Double> stowage = new LinkedHashMap<>();
        for (Map.Entry<String, String> task : tasks.entrySet()) {
            ImageOptions options = ThumborUrl.parse(task.getValue(), 4096).options();
            stowage.put(task.getKey(), median(iterations, () -> {
                Vips.Header header = vips.header(source).upright();
                Vips.Rendered r = vips.render(source, Plan.of(options, header, 4096, 2));
                if (r.width() != 300 || r.height() != 200) {
                    throw new IllegalStateException("rendered " + r.width() + "x" + r.height());
                }
            }));
        }

        Process node = new ProcessBuilder("node", "bench.js", file.toString(), String.valueOf(iterations))
                .directory(sharpDir.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (node.waitFor() != 0) {
            throw new IllegalStateException("sharp failed (npm install in " + sharpDir + "?): " + out);
        }
        String json = out.lines().reduce((a, b) -> b).orElse("{}");
        Matcher version = Pattern.compile("\"libvips\":\"([^\"]+)\"").matcher(json);
        System.out.printf("sharp: libvips %s (its own build), one thread, cache off%n", version.find() ? version.group(1) : "?");
        System.out.printf("%-14s %14s %12s %16s%n", "task", "stowage (ms)", "sharp (ms)", "stowage/sharp");
        for (String task : tasks.keySet()) {
            Matcher m = Pattern.compile("\"" + task + "\":([0-9.]+)").matcher(json);
            double sharp = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
            System.out.printf("%-14s %14.1f %12.1f %16.2f%n", task, stowage.get(task), sharp, stowage.get(task) / sharp);
        }
        Files.deleteIfExists(file);
    }

    private static double median(int iterations, Runnable task) {
        for (int i = 0; i < 3; i++) {
            task.run();
        }
        double[] times = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            task.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[iterations / 2];
    }

    /** A photo-like 4000x3000 JPEG (smooth gradients plus noise), quality 90, so decoders do real work. */
    static byte[] photo(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(24)) & 0xff;
                int g = (y * 255 / height + random.nextInt(24)) & 0xff;
                int b = ((x + y) * 255 / (width + height) + random.nextInt(24)) & 0xff;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        writer.dispose();
        return out.toByteArray();
    }
}

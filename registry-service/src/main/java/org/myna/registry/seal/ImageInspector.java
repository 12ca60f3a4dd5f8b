package org.myna.registry.seal;

import jakarta.enterprise.context.ApplicationScoped;
import org.myna.platform.hash.Sha256;
import org.myna.platform.problem.Problem;

import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether an upload is a seal impression we can keep: within the size limit, PNG or JPEG by its magic bytes
 * (the declared media type must agree), and actually decodable with bounded dimensions. The dimensions are read
 * from the header before any pixel is decoded, so a small file announcing a huge image is refused cheaply.
 */
@ApplicationScoped
public class ImageInspector {

    static final String PNG = "image/png";
    static final String JPEG = "image/jpeg";
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    private static final byte[] JPEG_MAGIC = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    static {
        // No temporary files for decoding: the image is in memory already.
        ImageIO.setUseCache(false);
    }

    private final SealConfig config;

    public ImageInspector(SealConfig config) {
        this.config = config;
    }

    public record Inspected(byte[] bytes, String mediaType, String sha256) {
    }

    public Inspected inspect(String base64, String declaredMediaType) {
        if (base64 == null || base64.isEmpty()) {
            throw Problem.invalidField("image", "not-an-image", "image must be a base64-encoded PNG or JPEG.");
        }
        if (declaredMediaType == null || !(PNG.equals(declaredMediaType) || JPEG.equals(declaredMediaType))) {
            throw Problem.invalidField("mediaType", "unsupported-media-type", "mediaType must be image/png or image/jpeg.");
        }
        // Refuse an oversize upload before allocating its decoded bytes.
        long maxEncoded = 4L * ((config.maxImageBytes() + 2) / 3);
        if (base64.length() > maxEncoded) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("image", "not-an-image", "image is not valid base64.");
        }
        if (bytes.length > config.maxImageBytes()) {
            throw tooLarge();
        }
        String actual = startsWith(bytes, PNG_MAGIC) ? PNG : startsWith(bytes, JPEG_MAGIC) ? JPEG : null;
        if (actual == null) {
            throw Problem.invalidField("image", "not-an-image", "image is neither a PNG nor a JPEG.");
        }
        if (!actual.equals(declaredMediaType)) {
            throw Problem.invalidField("mediaType", "media-type-mismatch", "The image's content is " + actual + ", not " + declaredMediaType + ".");
        }
        decode(bytes, actual);
        return new Inspected(bytes, actual, sha256(bytes));
    }

    private void decode(byte[] bytes, String mediaType) {
        String format = PNG.equals(mediaType) ? "png" : "jpeg";
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            int max = config.maxImageDimension();
            if (width < 1 || height < 1 || width > max || height > max) {
                throw new Problem(400, "image-dimensions-out-of-range",
                        "The image must be between 1 and " + max + " pixels wide and high.",
                        Map.of("violations", java.util.List.of(Map.of("field", "image", "message", "dimensions out of range"))));
            }
            if (reader.read(0) == null) {
                throw notDecodable();
            }
        } catch (Problem p) {
            throw p;
        } catch (Exception e) {
            // Truncated or corrupt data surfaces as IOException or as runtime exceptions from the codecs.
            throw notDecodable();
        } finally {
            reader.dispose();
        }
    }

    private Problem tooLarge() {
        return new Problem(413, "image-too-large", "The image exceeds " + config.maxImageBytes() + " bytes.");
    }

    private static Problem notDecodable() {
        return Problem.invalidField("image", "not-an-image", "The image cannot be decoded.");
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}

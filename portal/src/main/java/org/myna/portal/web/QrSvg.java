package org.myna.portal.web;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as inline SVG markup: one path of unit squares on a white ground with the standard four-module quiet
 * zone, colours as presentation attributes (no style attribute, no script: the strict CSP stays as it is). Drawn by
 * Project Nayuki's encoder; error correction M (a phone camera reads it off a screen).
 */
public final class QrSvg {

    private static final int QUIET = 4;

    private QrSvg() {
    }

    /** {@code labelId}: the id of the element whose text names the code (for screen readers: aria-labelledby). */
    public static String of(String text, String labelId) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * QUIET;
        StringBuilder path = new StringBuilder(qr.size * qr.size * 4);
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + QUIET).append(',').append(y + QUIET).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" id=\"login-qr\" role=\"img\" aria-labelledby=\""
                + labelId + "\" viewBox=\"0 0 " + size + " " + size + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }
}

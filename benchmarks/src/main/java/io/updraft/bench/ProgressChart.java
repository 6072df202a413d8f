package io.updraft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as standalone SVG, drawn here (no library, no network): rollout progress — devices succeeded per wave
 * over time — with markers for events such as a rollback. Axis ticks fall on 1, 2 or 5 × 10^n.
 */
public final class ProgressChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 480;
    static final int LEFT = 80;
    static final int RIGHT = 200;
    static final int TOP = 64;
    static final int BOTTOM = 60;
    private static final String[] COLOURS = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f" };

    /** One line: (seconds, value) points in time order. */
    public record Series(String name, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    public record Point(double seconds, double value) {
    }

    /** A vertical line at a moment, labelled (e.g. "RollbackTriggered gw-200:1.0"). */
    public record Marker(double seconds, String label) {
    }

    private ProgressChart() {
    }

    public static String svg(String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers) {
        return svg(title, "", xLabel, yLabel, series, markers);
    }

    /** @param subtitle a second, smaller title line (how it was measured, or why data is missing) */
    public static String svg(String title, String subtitle, String xLabel, String yLabel, List<Series> series,
            List<Marker> markers) {
        double maxX = 1;
        double maxY = 1;
        for (Series s : series) {
            for (Point p : s.points()) {
                maxX = Math.max(maxX, p.seconds());
                maxY = Math.max(maxY, p.value());
            }
        }
        for (Marker m : markers) {
            maxX = Math.max(maxX, m.seconds());
        }
        double xStep = niceStep(maxX);
        double yStep = niceStep(maxY);
        double xMax = Math.ceil(maxX / xStep) * xStep;
        double yMax = Math.ceil(maxY / yStep) * yStep;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"25\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"45\" font-size=\"11\" fill=\"#555\">%s</text>%n",
                LEFT, escape(subtitle.length() > 140 ? subtitle.substring(0, 140) + "…" : subtitle)));
        // grid and ticks
        for (double y = 0; y <= yMax + yStep / 2; y += yStep) {
            double py = TOP + plotH - y / yMax * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, py, LEFT + plotW, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, py + 4, tick(y)));
        }
        for (double x = 0; x <= xMax + xStep / 2; x += xStep) {
            double px = LEFT + x / xMax * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                    px, TOP, px, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px,
                    TOP + plotH + 18, tick(x)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", LEFT, TOP, plotW, plotH));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2, HEIGHT - 15, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 %d)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        // markers
        List<Marker> inTime = markers.stream().sorted(java.util.Comparator.comparingDouble(Marker::seconds)).toList();
        for (int i = 0; i < inTime.size(); i++) {
            Marker m = inTime.get(i);
            double px = LEFT + m.seconds() / xMax * plotW;
            int labelY = TOP + 12 + (i % 3) * 14; // staggered, so labels of close markers do not overlap
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" "
                    + "stroke-dasharray=\"4 3\"/>%n", px, TOP, px, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#d62728\" font-size=\"11\">%s</text>%n",
                    px + 3, labelY, escape(m.label())));
        }
        // lines and legend
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            List<String> coordinates = new ArrayList<>();
            for (Point p : s.points()) {
                coordinates.add(String.format(Locale.ROOT, "%.1f,%.1f", LEFT + p.seconds() / xMax * plotW,
                        TOP + plotH - p.value() / yMax * plotH));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"><title>%s</title></polyline>%n", colour, String.join(" ", coordinates),
                    escape(s.name())));
            int ly = TOP + 10 + i * 20;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", WIDTH - RIGHT + 15, ly, WIDTH - RIGHT + 35, ly, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 40, ly + 4,
                    escape(s.name())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The tick distance for about five ticks up to {@code max}: 1, 2 or 5 × 10^n. */
    static double niceStep(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double rough = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String tick(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

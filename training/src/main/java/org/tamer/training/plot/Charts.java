package org.tamer.training.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** PNG charts drawn with Java 2D (headless): a labelled scatter plot and line charts of training curves. */
public final class Charts {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 700;
    private static final int MARGIN = 60;

    private Charts() {
    }

    /** A scatter plot of 2-D points coloured by group, with a legend. */
    public static void scatter(double[][] points, List<String> groups, String title, Path file) throws IOException {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image, title);
        double[] box = bounds(points);
        Map<String, Color> colours = new LinkedHashMap<>();
        for (String group : groups) {
            colours.computeIfAbsent(group, k -> PALETTE[colours.size() % PALETTE.length]);
        }
        for (int i = 0; i < points.length; i++) {
            g.setColor(colours.get(groups.get(i)));
            int x = (int) (MARGIN + (points[i][0] - box[0]) / (box[1] - box[0]) * (WIDTH - 2 * MARGIN - 150));
            int y = (int) (HEIGHT - MARGIN - (points[i][1] - box[2]) / (box[3] - box[2]) * (HEIGHT - 2 * MARGIN));
            g.fillOval(x - 4, y - 4, 8, 8);
        }
        legend(g, colours);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** One line per series against the step, on a shared y axis. */
    public static void lines(Map<String, double[]> series, double[] steps, String title, Path file)
            throws IOException {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image, title);
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double[] values : series.values()) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        double xMin = steps[0];
        double xMax = Math.max(steps[steps.length - 1], xMin + 1);
        double yRange = Math.max(yMax - yMin, 1e-9);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(java.util.Locale.ROOT, "%.3g", yMax), 5, MARGIN + 5);
        g.drawString(String.format(java.util.Locale.ROOT, "%.3g", yMin), 5, HEIGHT - MARGIN);
        g.drawString("step " + (long) xMax, WIDTH - MARGIN - 220, HEIGHT - MARGIN + 20);
        Map<String, Color> colours = new LinkedHashMap<>();
        g.setStroke(new BasicStroke(2f));
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            Color colour = PALETTE[colours.size() % PALETTE.length];
            colours.put(s.getKey(), colour);
            g.setColor(colour);
            List<int[]> pts = new ArrayList<>();
            for (int i = 0; i < steps.length; i++) {
                int x = (int) (MARGIN + (steps[i] - xMin) / (xMax - xMin) * (WIDTH - 2 * MARGIN - 150));
                int y = (int) (HEIGHT - MARGIN - (s.getValue()[i] - yMin) / yRange * (HEIGHT - 2 * MARGIN));
                pts.add(new int[] {x, y});
            }
            for (int i = 1; i < pts.size(); i++) {
                g.drawLine(pts.get(i - 1)[0], pts.get(i - 1)[1], pts.get(i)[0], pts.get(i)[1]);
            }
        }
        legend(g, colours);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static BufferedImage canvas() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, MARGIN, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(MARGIN - 10, MARGIN - 10, WIDTH - 2 * MARGIN - 130, HEIGHT - 2 * MARGIN + 20);
        return g;
    }

    private static void legend(Graphics2D g, Map<String, Color> colours) {
        int y = MARGIN;
        for (Map.Entry<String, Color> entry : colours.entrySet()) {
            g.setColor(entry.getValue());
            g.fillRect(WIDTH - 160, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), WIDTH - 140, y);
            y += 20;
        }
    }

    private static double[] bounds(double[][] points) {
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double[] p : points) {
            box[0] = Math.min(box[0], p[0]);
            box[1] = Math.max(box[1], p[0]);
            box[2] = Math.min(box[2], p[1]);
            box[3] = Math.max(box[3], p[1]);
        }
        if (box[1] == box[0]) {
            box[1] += 1;
        }
        if (box[3] == box[2]) {
            box[3] += 1;
        }
        return box;
    }
}

package org.tamer.training.plot;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts drawn with XChart (headless), 900 × 700, with titled axes, ticks and a legend: a scatter plot of a 2-D
 * map coloured by group, and line charts of training curves.
 */
public final class Charts {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 700;

    private Charts() {
    }

    /** A scatter plot of 2-D points coloured by group, with a legend and the given axis titles. */
    public static void scatter(double[][] points, List<String> groups, String title, String xTitle, String yTitle,
                               Path file) throws IOException {
        XYChart chart = chart(title, xTitle, yTitle);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(6);
        Map<String, List<double[]>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < points.length; i++) {
            byGroup.computeIfAbsent(groups.get(i), k -> new ArrayList<>()).add(points[i]);
        }
        int colour = 0;
        for (Map.Entry<String, List<double[]>> group : byGroup.entrySet()) {
            double[] x = group.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = group.getValue().stream().mapToDouble(p -> p[1]).toArray();
            XYSeries series = chart.addSeries(group.getKey() + " (" + x.length + ")", x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(PALETTE[colour++ % PALETTE.length]);
        }
        save(chart, file);
    }

    /** A scatter plot with the axes of a t-SNE map. */
    public static void scatter(double[][] points, List<String> groups, String title, Path file) throws IOException {
        scatter(points, groups, title, "t-SNE 1", "t-SNE 2", file);
    }

    /** One line per series against the step, on a shared y axis. */
    public static void lines(Map<String, double[]> series, double[] steps, String title, Path file)
            throws IOException {
        lines(series, steps, title, "step", "loss", file);
    }

    /** One line per series against {@code x}, with the given axis titles. */
    public static void lines(Map<String, double[]> series, double[] x, String title, String xTitle, String yTitle,
                             Path file) throws IOException {
        XYChart chart = chart(title, xTitle, yTitle);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        int colour = 0;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            XYSeries line = chart.addSeries(s.getKey(), x, s.getValue());
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(PALETTE[colour++ % PALETTE.length]);
        }
        save(chart, file);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setAxisTicksVisible(true);
        chart.getStyler().setAntiAlias(true);
        return chart;
    }
}

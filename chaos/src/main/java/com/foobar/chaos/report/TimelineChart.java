package com.foobar.chaos.report;

import com.foobar.chaos.load.Timeline;
import com.foobar.chaos.scenario.Mark;
import com.foobar.chaos.scenario.ScenarioResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;

/**
 * A scenario's plot (JFreeChart): successful and failed requests per 100 ms, stacked, over the scenario's seconds,
 * failures coloured by kind, with the fault as a red line and the suite's actions and the recoveries it saw as
 * labelled lines, so a reader sees the dip and the recovery.
 */
public final class TimelineChart {

    static final int WIDTH = 1400;
    static final int HEIGHT = 560;
    private static final Color OK = new Color(0x2e, 0x7d, 0x32);
    private static final Color[] FAILURE_COLOURS = {new Color(0xd3, 0x2f, 0x2f), new Color(0xff, 0x8f, 0x00),
            new Color(0x6a, 0x1b, 0x9a), new Color(0x00, 0x83, 0x8f), new Color(0x5d, 0x40, 0x37),
            new Color(0xc2, 0x18, 0x5b)};

    private TimelineChart() {
    }

    /** Writes the scenario's plot as a PNG. */
    public static void write(ScenarioResult result, Path png) throws IOException {
        Timeline timeline = Timeline.of(result.records());
        DefaultTableXYDataset data = new DefaultTableXYDataset();
        // Each bar spans its bucket, [start, start + 100 ms).
        data.setIntervalWidth(Timeline.BUCKET_MS / 1000.0);
        data.setIntervalPositionFactor(0.0);
        XYSeries ok = new XYSeries("successful", false, false);
        for (Timeline.Bucket b : timeline.buckets()) {
            ok.add(b.startMs() / 1000.0, b.ok());
        }
        data.addSeries(ok);
        for (String label : timeline.failureLabels()) {
            XYSeries s = new XYSeries("failed: " + label, false, false);
            for (Timeline.Bucket b : timeline.buckets()) {
                s.add(b.startMs() / 1000.0, b.failures().getOrDefault(label, 0));
            }
            data.addSeries(s);
        }

        NumberAxis x = new NumberAxis("seconds since the scenario started (requests by the 100 ms they started in)");
        x.setAutoRangeIncludesZero(true);
        NumberAxis y = new NumberAxis("requests per 100 ms");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        StackedXYBarRenderer bars = new StackedXYBarRenderer(0.0);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        bars.setSeriesPaint(0, OK);
        for (int i = 1; i < data.getSeriesCount(); i++) {
            bars.setSeriesPaint(i, FAILURE_COLOURS[(i - 1) % FAILURE_COLOURS.length]);
        }
        XYPlot plot = new XYPlot(data, x, y, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        addMarkers(plot, result.marks());

        JFreeChart chart = new JFreeChart(result.name() + ": " + result.verdict(), new Font("SansSerif", Font.BOLD,
                16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static void addMarkers(XYPlot plot, List<Mark> marks) {
        int i = 0;
        for (Mark m : marks) {
            if (m.kind() == Mark.Kind.DETAIL) {
                continue;
            }
            ValueMarker marker = new ValueMarker(m.ms() / 1000.0);
            Color colour = switch (m.kind()) {
                case FAULT -> new Color(0xc6, 0x28, 0x28);
                case RECOVERY -> new Color(0x15, 0x65, 0xc0);
                case ACTION, DETAIL -> new Color(0x75, 0x75, 0x75);
            };
            marker.setPaint(colour);
            marker.setStroke(m.kind() == Mark.Kind.FAULT ? new BasicStroke(2.5f)
                    : new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f},
                    0f));
            marker.setLabel(m.label());
            marker.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            marker.setLabelPaint(colour);
            // Labels step down the plot so that marks close in time stay readable.
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(6 + 18 * (i % 6), 2, 2, 2));
            plot.addDomainMarker(marker, Layer.FOREGROUND);
            i++;
        }
    }
}

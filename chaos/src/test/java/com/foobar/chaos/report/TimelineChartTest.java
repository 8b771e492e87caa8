package com.foobar.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.chaos.load.FailureKind;
import com.foobar.chaos.load.Operation;
import com.foobar.chaos.load.RequestRecord;
import com.foobar.chaos.scenario.Mark;
import com.foobar.chaos.scenario.ScenarioResult;
import com.foobar.chaos.scenario.Verdict;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineChartTest {

    @TempDir
    Path dir;

    /** Ten seconds at 100 req/s with a dip of failures from 3.0 to 3.5 s, like a killed server. */
    static ScenarioResult dip() {
        List<RequestRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double start = i * 10.0;
            boolean failed = start >= 3000 && start < 3500 && i % 3 == 0;
            records.add(new RequestRecord(i % 5 == 0 ? Operation.WRITE : Operation.READ, "/", start, start + 8,
                    failed ? 502 : 200, failed ? FailureKind.HTTP_STATUS : FailureKind.NONE, "web-2", null, 0, ""));
        }
        return new ScenarioResult("kill-web", "goal", Verdict.FAIL, "measured", List.of(), records,
                List.of(new Mark(3000, "kill -9 web-1", Mark.Kind.FAULT),
                        new Mark(3400, "web-1 out of rotation", Mark.Kind.RECOVERY),
                        new Mark(8000, "web-1 back in rotation", Mark.Kind.RECOVERY)));
    }

    @Test
    void writesAPngOfTheRequestsPerHundredMillisecondsWithTheFaultMarked() throws Exception {
        Path png = dir.resolve("kill-web.png");

        TimelineChart.write(dip(), png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(TimelineChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TimelineChart.HEIGHT);
        // The fault's red line and the failures' red bars are drawn: some pixel is the fault's red.
        boolean red = false;
        for (int x = 0; x < image.getWidth() && !red; x++) {
            for (int y = 0; y < image.getHeight() && !red; y++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                red = rgb == 0xc62828 || rgb == 0xd32f2f;
            }
        }
        assertThat(red).isTrue();
    }
}

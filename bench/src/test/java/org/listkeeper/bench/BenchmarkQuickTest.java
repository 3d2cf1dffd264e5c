package org.listkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's --quick shape: correctness only (every pair once), never timing. */
class BenchmarkQuickTest {
    @TempDir
    Path out;

    @Test
    void quickShapeShouldDeliverEveryPairOnceInBothCases() throws Exception {
        Path serverJar = Path.of(System.getProperty("listkeeper.server.jar", "../assembly/target/listkeeper-server.jar"));

        List<Benchmark.CaseResult> results = Benchmark.run(List.of(new Benchmark.Shape(200, 20, "512m")),
            List.of("list", "baseline"), 0, 3, serverJar, out, List.of());

        assertThat(results).hasSize(6);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.pairsExpected).isEqualTo(4_000);
            assertThat(result.lost).isZero();
            assertThat(result.duplicates).isZero();
        });
        assertThat(out.resolve("results.json")).exists();
        assertThat(out.resolve("results.md")).content().contains("| 200 x 20 | list |").contains("| 200 x 20 | baseline |");
    }
}

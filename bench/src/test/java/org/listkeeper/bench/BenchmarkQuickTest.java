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
    void quickShapeShouldDeliverEveryPairOnceInEveryCase() throws Exception {
        Path serverJar = Path.of(System.getProperty("listkeeper.server.jar", "../assembly/target/listkeeper-server.jar"));

        List<Benchmark.CaseResult> results = Benchmark.run(List.of(new Benchmark.Shape(200, 20, "512m")),
            null, 0, 3, serverJar, out, List.of());

        assertThat(results).hasSize(9);
        assertThat(results).extracting(result -> result.kind).containsOnly("list", "baseline", "personalized");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.pairsExpected).isEqualTo(4_000);
            assertThat(result.lost).isZero();
            assertThat(result.duplicates).isZero();
        });
        assertThat(out.resolve("results.json")).exists();
        assertThat(out.resolve("results.md")).content().contains("| 200 x 20 | list |").contains("| 200 x 20 | baseline |")
            .contains("| 200 x 20 | personalized |").contains("| 200 x 20 | personalized/list (bulk) |");
    }
}

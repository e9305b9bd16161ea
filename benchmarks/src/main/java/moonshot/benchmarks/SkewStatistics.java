package moonshot.benchmarks;

import java.util.List;

/**
 * p50, p99 and max of a set of skews, percentiles by nearest rank on the sorted samples: the p-th percentile is the
 * sample of rank ceil(p/100 × n), so it is always a value that was actually measured.
 */
record SkewStatistics(int count, double p50, double p99, double max) {

    static SkewStatistics of(List<Double> samples) {
        if (samples.isEmpty()) {
            return new SkewStatistics(0, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = samples.stream().sorted().toList();
        return new SkewStatistics(sorted.size(), nearestRank(sorted, 50), nearestRank(sorted, 99),
                sorted.get(sorted.size() - 1));
    }

    static double nearestRank(List<Double> sorted, double percentile) {
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(1, Math.min(rank, sorted.size())) - 1);
    }
}

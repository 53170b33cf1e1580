// What the words of a published training row's metric cell say (study/training_metric.hpp reads the metric
// from them): one spelling per unit, whether a TFLOPS figure counts recompute, the tokens a cost metric
// counts, the scale words of a rate, GPU hours or a step time.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>

namespace commsim::metric_text {

// Does `s` start with one of `prefixes`?
bool starts_with_any(const std::string& s, std::initializer_list<const char*> prefixes);
// Is `word` one of the cell's words (letters and digits, split at anything else)? "step time (ms)" has "ms".
bool has_word(const std::string& cell, const std::string& word);
// The word (letters and digits) that ends at `end`, spaces before `end` skipped; `*begin` where it starts.
std::string word_before(const std::string& s, std::size_t end, std::size_t* begin);
// One spelling per unit: "TFLOP/s per GPU" and "Model TFLOP/sec/GPU" are "tflops/gpu", "tokens/sec",
// "tok/s" and "tokens per second" are "tokens/s"; "throughput (tokens/s/GPU)" is its unit in parentheses.
std::string canonical(std::string m);
// Does a TFLOPS metric say it counts recompute? "recompute", "recomputation" or "checkpointing" there, not
// negated just before it ("no", "without", "w/o", "excl.", "not counting"; "(incl. recompute, excl.
// embedding)" counts it), or "HFU" or "hardware" as a word, not negated ("TFLOPS/GPU (HFU)": BLOOM's and
// others' hardware figures were read as model FLOPs, a +29% row scored -2.6%, helper-135).
bool counts_recompute(const std::string& metric);
// The tokens a "per ... tokens" metric counts: "per trillion tokens", "per 1T tokens", "/T tokens", "per 2
// trillion tokens", "per 2.1T tokens", "per 2 T tokens" (1e12 each, times the number); "billion" and "B" 1e9.
// Only a count after "per" or '/' ("tokens/s/GPU (2T tokens run)" is no cost metric). 0 for none, or for a
// count that does not read ("per 1x tokens"). The number is read whole: "per 11T tokens" was read as per 1T
// (a "1t token" inside it), 11x off.
double per_tokens(const std::string& metric);
// The scale a word names: "k", "thousand(s)", "x1000", "(in thousands)" 1e3; "m", "million(s)" 1e6; else 1.
double scale_word(const std::string& word);
// GPU hours in the unit the metric names: "K GPU hours" / "thousand GPU hours" 1e3, "M" / "million" 1e6 (the
// word right before "GPU"; each was read as plain GPU hours, 1000x off), "GPU days" 24. Another word there
// ("H200 GPU hours") names the GPU: 1.
double gpu_hours_unit(const std::string& metric);
// A rate published in thousands or millions: "tokens/s/GPU (K)", "tokens/s [millions]", "tokens/s/GPU in
// thousands", "tokens/s, thousands", "K tokens/s/GPU", "ktokens/s", "million tokens/s". The marker is taken
// out of `metric` and its scale returned: 1 where there is none, 0 where two markers disagree. `tokens/s/GPU
// (K)` was read as tokens/s/GPU, 1000x off (2026-12-06).
double rate_scale(std::string* metric);
// The word right after a step-time metric's name ("step time", "iteration time", "time per step", ...),
// past "(", "[" and "in": "min" of "step time (min)", "us" of "step time us"; "" where none follows, or where
// "of" follows it ("(min of 3 runs)").
std::string step_time_unit_word(const std::string& metric);

}  // namespace commsim::metric_text

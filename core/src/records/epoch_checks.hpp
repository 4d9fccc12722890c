#pragma once
// Plausibility checks on Epoch AI's figures (docs/data-format.md, "Epoch AI import": export
// artefacts and implausible values). Pure functions on cell text, tested on their own.
#include <flopledger/exact.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace flopledger::inline v1::detail {

/// Epoch's export appends a spurious final 1 after a run of zeros to some figures (its note on
/// Inflection-2: "the second 1 is there because of airtable being wonky, it's not a real sig
/// fig"): 1.001e+25, 1.0001e+25, 3.810001e+25, and, written from a double, 2.1000000999999995e+26.
/// The cell's significand is first rounded to 15 significant digits (what a double carries);
/// when it then has at least 4 digits and ends in "001" (two or more zeros, then 1), the
/// returned value is the significand without that "0...01", exactly. nullopt otherwise (also
/// for text that is not a plain number).
std::optional<Exact> epochArtefactCorrection(std::string_view cellText);

/// The same text of the corrected value (e.g. "1e25"), for messages and notes.
std::optional<std::string> epochArtefactCorrectionText(std::string_view cellText);

/// A training or fine-tune compute figure is implausible (an export glitch: 1, 2, 4 or 8 FLOP)
/// when it is below 1e12 FLOP and the model has at least 1e9 parameters, or its base model
/// does, or it names a base model at all (a modification of an existing network: 1e12 FLOP is
/// a few hundred tokens through even Segment Anything's 636M parameters).
bool implausibleCompute(const Exact& flop, const std::optional<Exact>& params,
                        const std::optional<Exact>& baseParams, bool namesBase);

}  // namespace flopledger::detail

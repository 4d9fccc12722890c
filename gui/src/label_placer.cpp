#include "label_placer.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

namespace flopledger::inline v1::gui {

std::vector<std::optional<LabelBox>> LabelPlacer::place(const std::vector<LabelRequest>& requests) {
    std::vector<std::optional<LabelBox>> result;
    result.reserve(requests.size());
    std::vector<LabelBox> placed;
    for (const LabelRequest& r : requests) {
        const double w = r.width;
        const double h = r.height;
        const double g = gap_;
        // Right, left, above, below, then the four diagonals: the usual cartographic order.
        const std::array<LabelBox, 8> pointCandidates = {{
            {r.anchorX + g, r.anchorY - h / 2, w, h},
            {r.anchorX - g - w, r.anchorY - h / 2, w, h},
            {r.anchorX - w / 2, r.anchorY - g - h, w, h},
            {r.anchorX - w / 2, r.anchorY + g, w, h},
            {r.anchorX + g, r.anchorY - g - h, w, h},
            {r.anchorX - g - w, r.anchorY - g - h, w, h},
            {r.anchorX + g, r.anchorY + g, w, h},
            {r.anchorX - g - w, r.anchorY + g, w, h},
        }};
        // Along the line from its start, above then below, stepping right by half a label.
        std::vector<LabelBox> lineCandidates;
        std::vector<LabelBox> sweep;  // mandatory line labels, after the others over points
        if (r.lineLabel) {
            for (int step = 0; step <= 8; ++step) {
                const double x = r.anchorX + g + step * w / 2;
                lineCandidates.push_back({x, r.anchorY - g / 2 - h, w, h});
                lineCandidates.push_back({x, r.anchorY + g / 2, w, h});
            }
            for (int step = 0; step <= 8; ++step) {  // a second row above and below
                const double x = r.anchorX + g + step * w / 2;
                lineCandidates.push_back({x, r.anchorY - g / 2 - 2 * h, w, h});
                lineCandidates.push_back({x, r.anchorY + g / 2 + h, w, h});
            }
            // A line that starts near the right edge: its label ends at the edge.
            const double right = bounds_.x + bounds_.width - g - w;
            if (right < r.anchorX + g) {
                lineCandidates.push_back({right, r.anchorY - g / 2 - h, w, h});
                lineCandidates.push_back({right, r.anchorY + g / 2, w, h});
            }
            // A label that must be drawn slides left along its line before it may cover
            // another label (a wide list of regimes sharing a short line).
            for (double x = right - w / 4; r.mandatory && x >= bounds_.x; x -= w / 4) {
                sweep.push_back({x, r.anchorY - g / 2 - h, w, h});
                sweep.push_back({x, r.anchorY + g / 2, w, h});
            }
        }
        const std::vector<LabelBox> candidates =
            r.lineLabel ? lineCandidates
                        : std::vector<LabelBox>(pointCandidates.begin(), pointCandidates.end());
        auto inside = [&](const LabelBox& c) {
            return c.x >= bounds_.x && c.y >= bounds_.y &&
                   c.x + c.width <= bounds_.x + bounds_.width &&
                   c.y + c.height <= bounds_.y + bounds_.height;
        };
        auto clearOfLabels = [&](const LabelBox& c) {
            for (const LabelBox& p : placed)
                if (p.intersects(c)) return false;
            for (const LabelBox& b : blocked_)
                if (b.intersects(c)) return false;
            return true;
        };
        auto clearOfPoints = [&](const LabelBox& c) {
            for (const Pt& o : obstacles_)
                if (c.contains(o.x, o.y)) return false;
            return true;
        };
        std::optional<LabelBox> chosen;
        for (const LabelBox& c : candidates) {
            if (inside(c) && clearOfLabels(c) && clearOfPoints(c)) {
                chosen = c;
                break;
            }
        }
        // A must: near its anchor over points, then further along its line, clear of labels.
        const std::array<const std::vector<LabelBox>*, 2> sets = {&candidates, &sweep};
        for (const auto* set : sets) {
            for (const LabelBox& c : *set) {
                if (!r.mandatory || chosen) break;
                if (inside(c) && clearOfLabels(c)) chosen = c;
            }
        }
        if (r.mandatory && !chosen) {  // no room at all: the least overlap with other labels
            auto overlap = [](const LabelBox& a, const LabelBox& b) {
                const double ow = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
                const double oh = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
                return ow > 0 && oh > 0 ? ow * oh : 0.0;
            };
            double best = std::numeric_limits<double>::infinity();
            std::vector<LabelBox> all = candidates;
            all.insert(all.end(), sweep.begin(), sweep.end());
            for (const LabelBox& c : all) {
                if (!inside(c)) continue;
                double covered = 0;
                for (const LabelBox& p : placed) covered += overlap(c, p);
                for (const LabelBox& b : blocked_) covered += overlap(c, b);
                if (covered < best) {
                    best = covered;
                    chosen = c;
                }
            }
        }
        if (chosen) placed.push_back(*chosen);
        result.push_back(chosen);
    }
    return result;
}

}  // namespace flopledger::gui

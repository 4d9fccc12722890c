#include "label_placer.hpp"

#include <array>
#include <vector>

namespace flopledger::gui {

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
        }
        const std::vector<LabelBox> candidates =
            r.lineLabel ? lineCandidates
                        : std::vector<LabelBox>(pointCandidates.begin(), pointCandidates.end());
        std::optional<LabelBox> chosen;
        for (const LabelBox& c : candidates) {
            if (c.x < bounds_.x || c.y < bounds_.y || c.x + c.width > bounds_.x + bounds_.width ||
                c.y + c.height > bounds_.y + bounds_.height)
                continue;
            bool free = true;
            for (const LabelBox& p : placed) {
                if (p.intersects(c)) {
                    free = false;
                    break;
                }
            }
            for (const Pt& o : obstacles_) {
                if (!free) break;
                if (c.contains(o.x, o.y)) free = false;
            }
            if (free) {
                chosen = c;
                break;
            }
        }
        if (chosen) placed.push_back(*chosen);
        result.push_back(chosen);
    }
    return result;
}

}  // namespace flopledger::gui

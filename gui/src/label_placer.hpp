#pragma once
// Greedy placement of point labels so that no two labels overlap and no label covers a point:
// each label tries a few positions around its anchor, in order, and takes the first that is
// free. Pure geometry in pixels, so it is testable without a display.
#include <optional>
#include <vector>

namespace flopledger::inline v1::gui {

struct LabelBox {
    double x = 0, y = 0, width = 0, height = 0;  ///< top-left corner and size (pixels, y down)

    bool intersects(const LabelBox& o) const {
        return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
    }
    bool contains(double px, double py) const {
        return px >= x && px <= x + width && py >= y && py <= y + height;
    }
};

struct LabelRequest {
    double anchorX = 0, anchorY = 0;  ///< the point, pixels
    double width = 0, height = 0;     ///< the label's text size, pixels
    /// A label of a horizontal line: tried above-right and below-right of the anchor first, so
    /// the text does not sit on the line.
    bool lineLabel = false;
    /// Must be drawn (threshold labels): when no free position is left, the first candidate
    /// that overlaps no other label is taken even if it covers points, then the first inside
    /// the bounds.
    bool mandatory = false;
};

class LabelPlacer {
public:
    /// `bounds`: labels must lie inside (the plot area); `obstacles`: points labels must not
    /// cover, as (x, y) pixel pairs; `gap`: distance between point and label.
    LabelPlacer(LabelBox bounds, double gap = 4.0) : bounds_(bounds), gap_(gap) {}

    void addObstacle(double x, double y) { obstacles_.push_back({x, y}); }
    /// A region no label may cover (the legend), except a mandatory label with nowhere else.
    void addBlocked(const LabelBox& box) { blocked_.push_back(box); }

    /// Places the requests in the order given (put the most important first); a label that
    /// fits nowhere gets nullopt and is not drawn.
    std::vector<std::optional<LabelBox>> place(const std::vector<LabelRequest>& requests);

private:
    struct Pt {
        double x, y;
    };
    LabelBox bounds_;
    double gap_;
    std::vector<Pt> obstacles_;
    std::vector<LabelBox> blocked_;
};

}  // namespace flopledger::gui

// The contract's JSON output documents (section 5). Field order is fixed and every number is
// formatted deterministically, so identical input gives byte-identical output.
//
// This is the hot path of `assess --format jsonl` (about 10 KB of JSON per record against every
// shipped policy), so objects are written straight into one string instead of being built as a
// DOM first; the layout matches nlohmann::json's dump() (compact, or pretty with an indent).
#include <flopledger/assessment.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace flopledger {
namespace {

class Writer {
public:
    explicit Writer(int indent) : indent_(indent) { out_.reserve(16384); }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    void key(std::string_view k) {
        separator();
        string(k);
        out_ += indent_ >= 0 ? ": " : ":";
        afterKey_ = true;
    }

    void value(std::string_view s) {
        separator();
        string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        separator();
        out_ += b ? "true" : "false";
    }
    void null() {
        separator();
        out_ += "null";
    }
    /// Rounded to 6 decimals so last-bit differences between libm versions cannot change the
    /// bytes of a report; written like nlohmann (at least one decimal, "-0" never).
    void number(double x) {
        separator();
        if (!std::isfinite(x)) {
            out_ += "null";
            return;
        }
        double r = std::round(x * 1e6) / 1e6;
        if (r == 0.0) {
            r = 0.0;
        }
        char buf[64];
        int n = 0;
        if (std::fabs(r) < 1e12) {
            // Same digits as "%.6f" without the locale-aware printf machinery.
            auto micro = static_cast<long long>(std::llround(std::fabs(r) * 1e6));
            if (r < 0) {
                buf[n++] = '-';
            }
            const std::string whole = std::to_string(micro / 1000000);
            for (char ch : whole) {
                buf[n++] = ch;
            }
            buf[n++] = '.';
            long long frac = micro % 1000000;
            for (long long div = 100000; div > 0; div /= 10) {
                buf[n++] = static_cast<char>('0' + frac / div);
                frac %= div;
            }
        } else {
            n = std::snprintf(buf, sizeof buf, "%.6f", r);
        }
        while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.') {
            --n;
        }
        out_.append(buf, static_cast<std::size_t>(n));
    }
    void raw(std::string_view text) {
        separator();
        out_ += text;
    }

    std::string take() { return std::move(out_); }

private:
    void newline() {
        if (indent_ >= 0) {
            out_ += '\n';
            out_.append(static_cast<std::size_t>(indent_) * depth_, ' ');
        }
    }
    void separator() {
        if (afterKey_) {
            afterKey_ = false;
            return;
        }
        if (depth_ > 0) {
            if (!first_) {
                out_ += ',';
            }
            newline();
        }
        first_ = false;
    }
    void open(char c) {
        separator();
        out_ += c;
        ++depth_;
        first_ = true;
    }
    void close(char c) {
        --depth_;
        if (!first_) {
            newline();  // "[]" and "{}" stay on one line, as in nlohmann
        }
        out_ += c;
        first_ = false;
    }
    void string(std::string_view s) {
        out_ += '"';
        const char* p = s.data();
        const char* end = p + s.size();
        while (p != end) {
            // Long runs of plain text (titles, notes) are copied in one append.
            const char* run = p;
            while (p != end && !kNeedsEscape[static_cast<unsigned char>(*p)]) {
                ++p;
            }
            out_.append(run, static_cast<std::size_t>(p - run));
            if (p == end) {
                break;
            }
            escape(static_cast<unsigned char>(*p++));
        }
        out_ += '"';
    }
    void escape(unsigned char c) {
        switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\b':
                out_ += "\\b";
                break;
            case '\f':
                out_ += "\\f";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            default: {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out_ += buf;
            }
        }
    }

    static constexpr std::array<bool, 256> kNeedsEscape = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 0x20; ++c) {
            t[static_cast<std::size_t>(c)] = true;
        }
        t['"'] = true;
        t['\\'] = true;
        return t;
    }();

    std::string out_;
    int indent_;
    std::size_t depth_ = 0;
    bool first_ = true;
    bool afterKey_ = false;
};

__extension__ typedef unsigned __int128 Uint128;

// Boost 1.74 implements == and < on cpp_rational through boost::rational::operator<, a
// continued-fraction walk with big-integer divisions; normalised fractions are equal exactly
// when numerators and denominators are, which is a cheap limb comparison.
bool sameValue(const Exact& a, const Exact& b) {
    const auto& x = a.backend().data();
    const auto& y = b.backend().data();
    return x.denominator() == y.denominator() && x.numerator() == y.numerator();
}

// FLOP values are almost always integers below 2^128 (1e38): those are written digit by digit
// from the limbs; anything else goes through formatExact (big-integer division).
std::string formatExactFast(const Exact& v) {
    const auto& num = v.backend().data().numerator();
    const auto& den = v.backend().data().denominator();
    if (den == 1 && num.sign() >= 0) {
        const auto& backend = num.backend();
        const std::size_t limbs = backend.size();
        static_assert(sizeof(*backend.limbs()) == 8, "64-bit limbs expected");
        if (limbs <= 2) {
            Uint128 x = backend.limbs()[0];
            if (limbs == 2) {
                x |= static_cast<Uint128>(backend.limbs()[1]) << 64;
            }
            char buf[48];
            char* p = buf + sizeof buf;
            do {
                *--p = static_cast<char>('0' + static_cast<int>(x % 10));
                x /= 10;
            } while (x != 0);
            return std::string(p, static_cast<std::size_t>(buf + sizeof buf - p));
        }
    }
    return formatExact(v);
}

// A record repeats few distinct values (a point interval three times, the total in most
// counted_flop fields), so each distinct value is formatted once per document.
class ExactCache {
public:
    const std::string& get(const Exact& v) {
        for (const auto& e : entries_) {
            if (sameValue(e.first, v)) {
                return e.second;
            }
        }
        entries_.emplace_back(v, formatExactFast(v));
        return entries_.back().second;
    }

private:
    std::vector<std::pair<Exact, std::string>> entries_;
};

struct Context {
    Writer w;
    ExactCache exact;
    explicit Context(int indent) : w(indent) {}
};

void writeInterval(Context& c, const Interval& v) {
    c.w.beginObject();
    c.w.key("low");
    c.w.value(c.exact.get(v.low));
    c.w.key("central");
    c.w.value(c.exact.get(v.central));
    c.w.key("high");
    c.w.value(c.exact.get(v.high));
    c.w.endObject();
}

void writeWarning(Context& c, const Diagnostic& d) {
    c.w.beginObject();
    c.w.key("code");
    c.w.value(codeText(d.code));
    c.w.key("name");
    c.w.value(codeName(d.code));
    if (!d.pointer.empty()) {
        c.w.key("pointer");
        c.w.value(d.pointer);
    }
    c.w.key("message");
    c.w.value(d.message);
    c.w.endObject();
}

void writeStage(Context& c, const StageEstimate& s) {
    Writer& w = c.w;
    w.beginObject();
    w.key("kind");
    w.value(toString(s.kind));
    w.key("label");
    w.value(s.label);
    w.key("method");
    if (s.method) {
        w.value(toString(*s.method));
    } else {
        w.null();
    }
    w.key("flop");
    writeInterval(c, s.flop);
    w.key("methods");
    w.beginObject();
    for (int m = 0; m < kMethodCount; ++m) {
        const auto& value = s.methods[static_cast<std::size_t>(m)];
        if (value) {
            w.key(toString(static_cast<Method>(m)));
            writeInterval(c, *value);
        }
    }
    w.endObject();
    if (s.impliedUtilization) {
        w.key("implied_utilization");
        writeInterval(c, *s.impliedUtilization);
    }
    if (s.recomputeFlop) {
        w.key("recompute_flop");
        writeInterval(c, *s.recomputeFlop);
    }
    if (s.stage != nullptr && s.kind == StageKind::SyntheticData && s.stage->isPublic) {
        w.key("public");
        w.value(*s.stage->isPublic);
    }
    w.endObject();
}

// The estimate fields; the caller closes the object (assess appends its fields first).
void writeEstimateFields(Context& c, const RecordAssessment& r) {
    Writer& w = c.w;
    w.beginObject();
    w.key("id");
    w.value(r.id());
    if (r.isCluster()) {
        w.key("name");
        w.value(std::get<ClusterRecord>(*r.record).name);
        w.key("type");
        w.value("cluster");
        return;
    }
    w.key("name");
    w.value(std::get<ModelRecord>(*r.record).name);
    if (!r.estimate) {
        return;
    }
    const ModelEstimate& e = *r.estimate;
    w.key("convention");
    w.value(toString(e.convention));
    w.key("total");
    writeInterval(c, e.total);
    w.key("stages");
    w.beginArray();
    for (const auto& s : e.stages) {
        writeStage(c, s);
    }
    w.endArray();
    w.key("warnings");
    w.beginArray();
    for (const auto& d : e.warnings) {
        writeWarning(c, d);
    }
    w.endArray();
}

void writeStrings(Writer& w, const std::vector<std::string>& items) {
    w.beginArray();
    for (const auto& s : items) {
        w.value(s);
    }
    w.endArray();
}

void writeVerdict(Context& c, const Verdict& v) {
    Writer& w = c.w;
    w.beginObject();
    w.key("policy");
    w.value(v.policy);
    w.key("title");
    w.value(v.title);
    w.key("in_force");
    w.value(v.inForce);
    w.key("legal_status");
    w.value(v.legalStatus);
    w.key("status");
    w.value(toString(v.status));
    w.key("counted_flop");
    if (v.countedFlop) {
        writeInterval(c, *v.countedFlop);
    } else {
        w.null();
    }
    w.key("threshold");
    if (v.threshold) {
        w.value(c.exact.get(*v.threshold));
    } else {
        w.null();
    }
    w.key("comparator");
    w.value(v.comparator);
    w.key("margin_log10");
    if (v.marginLog10) {
        w.number(*v.marginLog10);
    } else {
        w.null();
    }
    w.key("probability");
    if (v.probability) {
        w.number(*v.probability);
    } else {
        w.null();
    }
    w.key("missing");
    writeStrings(w, v.missing);
    w.key("notes");
    writeStrings(w, v.notes);
    w.endObject();
}

}  // namespace

std::string intervalJson(const Interval& value) {
    Context c(-1);
    writeInterval(c, value);
    return c.w.take();
}

std::string estimateJson(const RecordAssessment& result, int indent) {
    Context c(indent);
    writeEstimateFields(c, result);
    c.w.endObject();
    return c.w.take();
}

std::string assessJson(const RecordAssessment& result, std::size_t dateIndex, int indent) {
    Context c(indent);
    writeEstimateFields(c, result);
    const DatedVerdicts& d = result.dates.at(dateIndex);
    c.w.key("as_of");
    c.w.value(d.asOf.toIsoDay());
    c.w.key("verdicts");
    c.w.beginArray();
    for (const auto& v : d.verdicts) {
        writeVerdict(c, v);
    }
    c.w.endArray();
    c.w.endObject();
    return c.w.take();
}

std::string jsonArrayElement(const std::string& prettyObject) {
    std::string out;
    out.reserve(prettyObject.size() + prettyObject.size() / 8 + 2);
    out += "  ";
    std::size_t run = 0;
    for (std::size_t i = 0; i < prettyObject.size(); ++i) {
        if (prettyObject[i] == '\n') {
            out.append(prettyObject, run, i + 1 - run);
            out += "  ";
            run = i + 1;
        }
    }
    out.append(prettyObject, run, std::string::npos);
    return out;
}

std::string jsonDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out = "[";
    bool first = true;
    auto add = [&](const std::string& pretty) {
        out += first ? "\n" : ",\n";
        first = false;
        out += jsonArrayElement(pretty);
    };
    for (const auto& r : results) {
        if (!evaluate) {
            add(estimateJson(r, 2));
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            add(assessJson(r, i, 2));
        }
    }
    out += first ? "]\n" : "\n]\n";
    return out;
}

std::string jsonLinesDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out;
    for (const auto& r : results) {
        if (!evaluate) {
            out += estimateJson(r, -1);
            out += '\n';
            continue;
        }
        for (std::size_t i = 0; i < r.dates.size(); ++i) {
            out += assessJson(r, i, -1);
            out += '\n';
        }
    }
    return out;
}

}  // namespace flopledger

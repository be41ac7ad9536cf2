// nnfs/io/model_file_lines.hpp — the grammar of a model file's header (nnfs/io/model_file_format.hpp):
// the magic and version, the header's lines, words and key=value pairs, and numbers read
// exactly. Every failure throws std::runtime_error("<what>: line <n> '<text>': ...").
#pragma once

#include "nnfs/detail/kind_name.hpp"
#include "nnfs/io/model_file_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

struct ModelFileLine {
  std::size_t number = 0;
  std::string_view text;
};

/// A model file's header lines, read and checked word by word (ModelFileReader's base).
class ModelFileLines {
 public:
  ModelFileLines(std::string_view bytes, std::string_view what) : bytes_(bytes), what_(what) {}

  [[noreturn]] void fail_at(const ModelFileLine& l, const std::string& message) const { fail_line(l, message); }

 protected:
  [[noreturn]] void fail(const std::string& message) const {
    throw std::runtime_error(fmt::format("{}: {}", what_, message));
  }

  [[noreturn]] void fail_line(const ModelFileLine& l, const std::string& message) const {
    std::string hint;
    if (!l.text.empty() && l.text.back() == '\r') hint = " (the line ends with a carriage return: was the file converted to CRLF text?)";
    fail(fmt::format("line {} {}: {}{}", l.number, model_file_quote(l.text), message, hint));
  }

  void check_magic() const {
    constexpr std::string_view magic = "nnfs-model ";
    if (bytes_.empty()) fail("empty file (0 bytes): not an nnfs model file");
    if (bytes_.size() < magic.size() && magic.substr(0, bytes_.size()) == bytes_)
      fail(fmt::format("truncated: only {} bytes, the start of an nnfs model file's first line", bytes_.size()));
    if (bytes_.substr(0, magic.size()) != magic) {
      std::string kind;
      if (bytes_.substr(0, 6) == "\x93NUMPY")
        kind = " (it is a NumPy .npy file: read it with nnfs::load_npy)";
      else if (bytes_.substr(0, 4) == std::string_view("PK\x03\x04", 4))
        kind = " (it is a ZIP archive, e.g. a NumPy .npz file)";
      else if (bytes_.substr(0, 2) == "\x1f\x8b")
        kind = " (it is gzip-compressed)";
      fail(fmt::format("not an nnfs model file: it starts with {}, not 'nnfs-model'{}", model_file_quote(bytes_, 16),
                       kind));
    }
    // The version, before anything else: a newer file may be laid out differently.
    const std::size_t end = bytes_.find('\n');
    if (end == std::string_view::npos && bytes_.size() < 64)
      fail(fmt::format("truncated: the file ends inside its first line {}", model_file_quote(bytes_)));
    const std::string_view version = bytes_.substr(magic.size(), std::min<std::size_t>(end, 64) - magic.size());
    unsigned v = 0;
    const auto r = std::from_chars(version.data(), version.data() + version.size(), v);
    if (r.ec != std::errc() || r.ptr != version.data() + version.size() || version.empty() ||
        (version.size() > 1 && version[0] == '0') || end == std::string_view::npos)
      fail(fmt::format("line 1 {}: expected 'nnfs-model <version>'", model_file_quote(bytes_.substr(0, std::min<std::size_t>(end, 64)))));
    if (v > model_file_version)
      fail(fmt::format("file format version {} is newer than this nnfs reads ({})", v, model_file_version));
    if (v != model_file_version) fail(fmt::format("unknown file format version {} (this nnfs reads {})", v, model_file_version));
  }

  void split_lines() {
    const std::size_t limit = std::min(bytes_.size(), model_file_max_header_bytes);
    std::size_t pos = 0;
    while (true) {
      const std::size_t nl = bytes_.substr(0, limit).find('\n', pos);
      if (nl == std::string_view::npos) {
        if (limit == bytes_.size())
          fail(fmt::format("truncated: the header stops after {} lines ({} bytes) without its 'end' line", lines_.size(),
                           bytes_.size()));
        fail(fmt::format("no 'end' line in the first {} bytes: the header is longer than nnfs reads (or this is not a "
                         "model file)",
                         model_file_max_header_bytes));
      }
      if (lines_.size() == model_file_max_header_lines)
        fail(fmt::format("the header has more than {} lines", model_file_max_header_lines));
      lines_.push_back(ModelFileLine{lines_.size() + 1, bytes_.substr(pos, nl - pos)});
      pos = nl + 1;
      if (lines_.back().text == "end") break;
    }
    header_bytes_ = pos;
  }

  static std::string_view first_token(std::string_view line) { return line.substr(0, line.find(' ')); }

  /// The line's space-separated words; an empty word (two spaces, a leading or trailing space)
  /// is an error.
  std::vector<std::string_view> tokens(const ModelFileLine& l) const {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
      const std::size_t sp = l.text.find(' ', pos);
      const std::string_view t = l.text.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
      if (t.empty()) fail_line(l, "words must be separated by single spaces");
      out.push_back(t);
      if (sp == std::string_view::npos) break;
      pos = sp + 1;
    }
    return out;
  }

  const ModelFileLine& expect(std::size_t i, std::string_view keyword, const char* expected) const {
    if (first_token(lines_[i].text) != keyword) fail_line(lines_[i], fmt::format("expected {}", expected));
    return lines_[i];
  }

  /// key=value words from t[first...]: every key in `required` or `optional`, none twice, all
  /// of `required` present.
  struct Keys {
    std::vector<std::pair<std::string_view, std::string_view>> items;
    std::optional<std::string_view> get(std::string_view key) const {
      for (const auto& [k, v] : items)
        if (k == key) return v;
      return std::nullopt;
    }
  };

  Keys keys(const ModelFileLine& l, const std::vector<std::string_view>& t, std::size_t first,
            const std::vector<std::string_view>& required, const std::vector<std::string_view>& optional = {}) const {
    Keys out;
    const auto known = [&](std::string_view k) {
      return std::find(required.begin(), required.end(), k) != required.end() ||
             std::find(optional.begin(), optional.end(), k) != optional.end();
    };
    const auto expected_keys = [&] {
      std::string s;
      for (const auto& k : required) s += (s.empty() ? "" : ", ") + std::string(k);
      for (const auto& k : optional) s += (s.empty() ? "" : ", ") + std::string(k);
      return s.empty() ? std::string("none") : s;
    };
    for (std::size_t k = first; k < t.size(); ++k) {
      const std::size_t eq = t[k].find('=');
      if (eq == std::string_view::npos)
        fail_line(l, fmt::format("expected key=value, got {} (keys: {})", model_file_quote(t[k]), expected_keys()));
      const std::string_view key = t[k].substr(0, eq);
      if (!known(key)) fail_line(l, fmt::format("unknown key {} (keys: {})", model_file_quote(key), expected_keys()));
      if (out.get(key)) fail_line(l, fmt::format("duplicate key {}", model_file_quote(key)));
      out.items.emplace_back(key, t[k].substr(eq + 1));
    }
    for (const auto& k : required)
      if (!out.get(k)) fail_line(l, fmt::format("missing key '{}'", k));
    return out;
  }

  double finite_number(const ModelFileLine& l, std::string_view key, std::string_view text) const {
    double v = 0.0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec == std::errc::result_out_of_range || (r.ec == std::errc() && r.ptr == text.data() + text.size() && !std::isfinite(v)))
      fail_line(l, fmt::format("{} must be a finite number, got {}", key, model_file_quote(text)));
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
      fail_line(l, fmt::format("{} must be a number, got {}", key, model_file_quote(text)));
    return v;
  }

  double non_negative(const ModelFileLine& l, const Keys& k, std::string_view key) const {
    const double v = finite_number(l, key, *k.get(key));
    if (!(v >= 0.0)) fail_line(l, fmt::format("{} must be >= 0, got {}", key, *k.get(key)));
    return v;
  }

  std::int64_t integer(const ModelFileLine& l, std::string_view key, std::string_view text) const {
    std::int64_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
      fail_line(l, fmt::format("{} must be an integer, got {}", key, model_file_quote(text)));
    return v;
  }

  std::uint64_t unsigned_number(const ModelFileLine& l, std::string_view key, std::string_view text) const {
    std::uint64_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
      fail_line(l, fmt::format("{} must be a non-negative integer, got {}", key, model_file_quote(text)));
    return v;
  }

  /// The value of `rule.key` in `k`, checked by its rule.
  double checked_setting(const ModelFileLine& l, const Keys& k, const SettingRule& rule) const {
    const std::string_view text = *k.get(rule.key);
    switch (rule.check) {
      case SettingCheck::positive_integer: {
        const std::int64_t n = integer(l, rule.key, text);
        if (n < 1) fail_line(l, fmt::format("{} must be a positive integer, got {}", rule.key, n));
        // Settings are doubles: larger integers would not read back exactly.
        if (n > (std::int64_t{1} << 53)) fail_line(l, fmt::format("{} must be at most 2^53, got {}", rule.key, n));
        return static_cast<double>(n);
      }
      case SettingCheck::non_negative: return non_negative(l, k, rule.key);
      case SettingCheck::fraction: {
        const double v = finite_number(l, rule.key, text);
        if (!(v >= 0.0 && v < 1.0)) fail_line(l, fmt::format("{} must be in [0, 1), got {}", rule.key, text));
        return v;
      }
      case SettingCheck::number: break;
    }
    return finite_number(l, rule.key, text);
  }

  std::string_view bytes_;
  std::string_view what_;
  std::vector<ModelFileLine> lines_;
  std::size_t header_bytes_ = 0;
};

}  // namespace detail
}  // namespace nnfs

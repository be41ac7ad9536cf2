// nnfs/detail/kind_name.hpp — the one table of kinds (issue 12). Layers, losses, accuracies and
// optimizers each have a registry: per kind its name (what a model file and summary() call it),
// its C++ class and how to make one again from what a file keeps. The book's kinds are entries
// like any other, added first (nnfs/model/kinds.hpp, one line per kind); a kind of your own
// is added by the same call (register_layer, register_loss, register_accuracy,
// register_optimizer). A name is a word a model file's header can hold.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <vector>

namespace nnfs {

/// How a model file's reader checks one key of a kind's line as it reads the header (before
/// anything is made): the kinds that declare their keys get exact messages for bad values.
enum class SettingCheck {
  number,            ///< a finite number
  positive_integer,  ///< an integer >= 1
  non_negative,      ///< a finite number >= 0
  fraction,          ///< a finite number in [0, 1)
};

/// One key of a kind's line in a model file and its check.
struct SettingRule {
  std::string key;
  SettingCheck check = SettingCheck::number;
};

namespace detail {

/// Letters, digits and '_', not starting with a digit.
inline bool is_kind_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

/// The kinds of one category (Info: name, type, builtin, and the category's own fields), in
/// registration order: the built-in kinds first.
template <class Info>
class KindRegistry {
 public:
  /// The kind called `name`, or nullptr.
  const Info* find(std::string_view name) const {
    for (const Info& k : kinds_)
      if (k.name == name) return &k;
    return nullptr;
  }
  /// The first kind of class `type` (CategoricalAccuracy has two: categorical and binary), or nullptr.
  const Info* find(std::type_index type) const {
    for (const Info& k : kinds_)
      if (k.type == type) return &k;
    return nullptr;
  }
  const std::vector<Info>& kinds() const { return kinds_; }

  /// The names, ", "-separated: the built-in kinds (`builtin` true) or the others.
  std::string names(bool builtin) const {
    std::string s;
    for (const Info& k : kinds_)
      if (k.builtin == builtin) s += (s.empty() ? "" : ", ") + k.name;
    return s;
  }

  /// Adds `info`. Adding the same class under the same name again does nothing, except that
  /// it gives the kind its factory (`make`) when it was added without one (the book's kinds,
  /// nnfs/model/kinds.hpp). Throws std::invalid_argument ("<where>: ...") for a name that is
  /// not a kind name, the name of a built-in <category>, or a name or class already registered
  /// otherwise.
  void add(const char* where, const char* category, Info info) {
    if (!is_kind_name(info.name))
      throw std::invalid_argument(std::string(where) + ": '" + info.name +
                                  "' is not a kind name (letters, digits and '_', not starting with a digit)");
    const Info* by_name = find(info.name);
    if (by_name != nullptr && by_name->builtin && !info.builtin)
      throw std::invalid_argument(std::string(where) + ": '" + info.name + "' is the name of a built-in " + category);
    if (by_name != nullptr && by_name->type == info.type) {
      Info& same = kinds_[static_cast<std::size_t>(by_name - kinds_.data())];
      if (!same.make && info.make) same.make = std::move(info.make);
      return;
    }
    const Info* by_type = find(info.type);
    if (by_name != nullptr)
      throw std::invalid_argument(std::string(where) + ": '" + info.name + "' is registered for another class");
    if (by_type != nullptr && !info.builtin)
      throw std::invalid_argument(std::string(where) + ": this class is already registered as '" + by_type->name + "'");
    kinds_.push_back(std::move(info));
  }

 private:
  std::vector<Info> kinds_;
};

/// The program's registry of one category, made on first use with the built-in kinds `seed`
/// adds (a function-local static: thread-safe to create, one per Registry type).
template <class Registry>
Registry& seeded_registry(void (*seed)(Registry&)) {
  static Registry registry = [seed] {
    Registry r;
    seed(r);
    return r;
  }();
  return registry;
}

}  // namespace detail
}  // namespace nnfs

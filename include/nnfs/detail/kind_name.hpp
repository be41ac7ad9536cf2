// nnfs/detail/kind_name.hpp — what a registered kind may be called (register_layer,
// register_loss): a word a model file's header can hold.
#pragma once

#include <string_view>

namespace nnfs {
namespace detail {

/// Letters, digits and '_', not starting with a digit.
inline bool is_kind_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace detail
}  // namespace nnfs

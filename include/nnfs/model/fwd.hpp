// nnfs/model/fwd.hpp — Model<T> declared, for the headers that each hold one piece of it (its
// checks, training loop, summary, parameter pairs: friends of Model<T>, nnfs/model/model.hpp).
#pragma once

namespace nnfs {

template <class T>
class Model;

}  // namespace nnfs

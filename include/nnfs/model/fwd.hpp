// nnfs/model/fwd.hpp — Model<T> declared, for the headers that each hold one piece of it (its
// checks, training loop, summary, parameter pairs: friends of Model<T>, nnfs/model/model.hpp),
// and its files' half, which the io layer defines.
#pragma once

namespace nnfs {

template <class T>
class Model;

namespace detail {

/// Model's save, load, to_bytes and from_bytes: defined by nnfs/io/model_file.hpp (the io
/// layer). A compile error that names this incomplete type means: #include
/// <nnfs/io/model_file.hpp> (or <nnfs/nnfs.hpp>) to save or load a model.
template <class T>
struct ModelFileIO;

}  // namespace detail
}  // namespace nnfs

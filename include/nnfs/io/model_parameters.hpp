// nnfs/io/model_parameters.hpp — a Model's parameters as a NumPy .npz file, both ways.
//
// The book saves model.get_parameters() (a list of (weights, biases) per Dense layer) with
// pickle. Here they go into an .npz archive with NumPy's own positional names, exactly what
//     np.savez(path, *[a for weights_biases in params for a in weights_biases])
// writes: arr_0 = first Dense's weights (inputs×neurons), arr_1 = its biases (1×neurons),
// arr_2 = second Dense's weights, … So Python reads them with
//     data = np.load(path); arrays = [data[f'arr_{i}'] for i in range(len(data.files))]
//     model.set_parameters(list(zip(arrays[0::2], arrays[1::2])))
// and parameters saved by that np.savez line load into an nnfs Model of the same layers.
// Arrays of another float type are converted (float64 ↔ float32, as ndarray.astype).
//
// Needs the nnfs::io CMake target (zlib).
#pragma once

#include "nnfs/io/npz.hpp"
#include "nnfs/model/model.hpp"
#include "nnfs/io/npy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

namespace nnfs::io {

/// Writes every Dense layer's weights and biases as arr_0, arr_1, … (see above); `compressed`
/// as np.savez_compressed. A failed save leaves an existing file as it was (std::runtime_error).
template <class T>
void save_parameters(const Model<T>& model, const std::filesystem::path& path, bool compressed = false) {
  NpzArrays arrays;
  std::size_t i = 0;
  for (const auto& [weights, biases] : model.get_parameters()) {
    arrays.emplace_back(fmt::format("arr_{}", i++), NpyArray::from(weights));
    arrays.emplace_back(fmt::format("arr_{}", i++), NpyArray::from(biases));
  }
  save_npz(path, arrays, compressed);
}

/// Reads arr_0, arr_1, … into the model's Dense layers (Model::set_parameters: every count and
/// shape is checked before anything changes). Throws std::runtime_error for an unreadable file
/// or one whose arrays are not exactly arr_0 … arr_{2L−1} for the model's L Dense layers, and
/// std::invalid_argument for shapes that do not match the layers.
template <class T>
void load_parameters(Model<T>& model, const std::filesystem::path& path) {
  const NpzFile file(path);
  const std::size_t pairs = model.get_parameters().size();
  if (file.size() != 2 * pairs)
    throw std::runtime_error(fmt::format("nnfs::io::load_parameters: '{}' holds {} arrays, the model's {} Dense "
                                         "layers need {} (arr_0 … arr_{})",
                                         path.string(), file.size(), pairs, 2 * pairs, 2 * pairs - 1));
  typename Model<T>::Parameters params;
  for (std::size_t k = 0; k < pairs; ++k) {
    const std::string w = fmt::format("arr_{}", 2 * k);
    const std::string b = fmt::format("arr_{}", 2 * k + 1);
    if (!file.contains(w) || !file.contains(b))
      throw std::runtime_error(fmt::format("nnfs::io::load_parameters: '{}' has no {} / {} (arrays: {})",
                                           path.string(), w, b, fmt::join(file.names(), ", ")));
    params.emplace_back(file.at(w).to_matrix<T>(), file.at(b).to_matrix<T>());
  }
  model.set_parameters(params);
}

}  // namespace nnfs::io

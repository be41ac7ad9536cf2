// Reading the golden files under tests/data (written by the NumPy scripts in tests/golden).
// Format: '#' comment lines, then whitespace-separated numbers. Floats are written with
// Python's repr (shortest round-trip), so strtod/strtof read them back bit-exactly.
#pragma once

#include <nnfs/types.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef NNFS_TEST_DATA_DIR
#error "NNFS_TEST_DATA_DIR must point at tests/data"
#endif

namespace nnfs_test {

inline std::string data_path(const std::string& name) {
  return std::string(NNFS_TEST_DATA_DIR) + "/" + name;
}

/// All whitespace-separated tokens of a data file, skipping '#' comment lines.
inline std::vector<std::string> read_tokens(const std::string& name) {
  std::ifstream in(data_path(name));
  if (!in) throw std::runtime_error("cannot open golden file " + data_path(name));
  std::vector<std::string> tokens;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    std::istringstream ls(line);
    std::string tok;
    while (ls >> tok) tokens.push_back(tok);
  }
  return tokens;
}

inline std::vector<double> read_doubles(const std::string& name) {
  std::vector<double> out;
  for (const auto& t : read_tokens(name)) out.push_back(std::strtod(t.c_str(), nullptr));
  return out;
}

inline std::vector<float> read_floats(const std::string& name) {
  std::vector<float> out;
  for (const auto& t : read_tokens(name)) out.push_back(std::strtof(t.c_str(), nullptr));
  return out;
}

inline std::vector<long long> read_ints(const std::string& name) {
  std::vector<long long> out;
  for (const auto& t : read_tokens(name)) out.push_back(std::strtoll(t.c_str(), nullptr, 10));
  return out;
}

/// A file written as a sequence of arrays, each introduced by a "# shape d0 d1 ... dtype X"
/// comment line: one vector of values (as double; float32 values are exact in double) per array,
/// with its shape.
struct GoldenArray {
  std::vector<long long> shape;
  std::vector<double> values;
};

inline std::vector<GoldenArray> read_arrays(const std::string& name) {
  std::ifstream in(data_path(name));
  if (!in) throw std::runtime_error("cannot open golden file " + data_path(name));
  std::vector<GoldenArray> arrays;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# shape", 0) == 0) {
      arrays.emplace_back();
      std::istringstream ls(line.substr(7));
      std::string tok;
      while (ls >> tok && tok != "dtype") arrays.back().shape.push_back(std::stoll(tok));
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    if (arrays.empty()) throw std::runtime_error("values before the first '# shape' line in " + name);
    std::istringstream ls(line);
    std::string tok;
    while (ls >> tok) arrays.back().values.push_back(std::strtod(tok.c_str(), nullptr));
  }
  return arrays;
}

/// A golden array as an nnfs::Matrix<T> (1-D arrays become one column).
template <class T>
nnfs::Matrix<T> as_matrix(const GoldenArray& a) {
  const auto rows = static_cast<nnfs::Index>(a.shape.empty() ? 1 : a.shape[0]);
  const auto cols = static_cast<nnfs::Index>(a.shape.size() < 2 ? 1 : a.shape[1]);
  if (static_cast<std::size_t>(rows * cols) != a.values.size())
    throw std::runtime_error("golden array size does not match its shape");
  nnfs::Matrix<T> m(rows, cols);
  for (nnfs::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(a.values[static_cast<std::size_t>(i)]);
  return m;
}

/// The whole file as text (for printing tests that compare strings).
inline std::string read_text(const std::string& name) {
  std::ifstream in(data_path(name), std::ios::binary);
  if (!in) throw std::runtime_error("cannot open golden file " + data_path(name));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A golden file whose arrays are named by a '# array NAME' line before their '# shape' line
/// (gen_backward.py): arrays looked up by name.
class Golden {
 public:
  explicit Golden(const std::string& file) : file_(file) {
    const auto arrays = read_arrays(file);
    std::istringstream text(read_text(file));
    std::vector<std::string> names;
    std::string line;
    while (std::getline(text, line))
      if (line.rfind("# array ", 0) == 0) names.push_back(line.substr(8));
    if (names.size() != arrays.size()) throw std::runtime_error("array names do not match arrays in " + file);
    for (std::size_t i = 0; i < names.size(); ++i) arrays_[names[i]] = arrays[i];
  }

  const GoldenArray& at(const std::string& name) const {
    const auto it = arrays_.find(name);
    if (it == arrays_.end()) throw std::runtime_error("no array '" + name + "' in " + file_);
    return it->second;
  }
  template <class T>
  nnfs::Matrix<T> m(const std::string& name) const {
    return as_matrix<T>(at(name));
  }
  double scalar(const std::string& name) const { return at(name).values.at(0); }

 private:
  std::string file_;
  std::map<std::string, GoldenArray> arrays_;
};

}  // namespace nnfs_test

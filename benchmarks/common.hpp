// benchmarks/common.hpp — what every C++ runner shares: the workloads' constants, the command
// line, the shared data files (.npy, so the NumPy reference reads them with np.load) and the
// one-line JSON result each repetition prints.
//
// Every runner is invoked as
//     <runner> --workload W1|W2|W3-1|W3-256 --threads N --reps R --data DIR [--variant V]
// and prints, for each repetition, one line
//     {"impl": "...", "workload": "W2", "threads": 1, "rep": 0, "seconds": 0.61, "loss": 1.23, ...}
// on stdout. run.py alternates the runners rep by rep and builds the table from these lines.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <time.h>

namespace bench {

// ------------------------------------------------------------------------------ the workloads
// W1: the book's chapter 10 program — spiral(100, 3), Dense(2,64)-ReLU-Dense(64,3),
//     softmax + categorical cross-entropy, Adam(lr 0.05, decay 5e-7), 10 001 full-batch epochs.
constexpr long w1_epochs = 10001;
constexpr double w1_learning_rate = 0.05;
constexpr double w1_decay = 5e-7;
constexpr long w1_hidden = 64;
constexpr long w1_classes = 3;

// W2: MLP 784-128-128-10, ReLU, softmax + CCE, Adam(1e-3), batch 128, one epoch over 60 000
//     samples (the last batch has 96), no shuffling.
constexpr long w2_samples = 60000;
constexpr long w2_inputs = 784;
constexpr long w2_hidden = 128;
constexpr long w2_classes = 10;
constexpr long w2_batch = 128;
constexpr double w2_learning_rate = 1e-3;

// W3: forward-only predictions (softmax probabilities) through the W2 network.
constexpr long w3_single_calls = 20000;  // 1 sample per call, samples 0, 1, 2, ... in turn
constexpr long w3_batch = 256;
constexpr long w3_batch_calls = 400;  // 256 samples per call, consecutive batches
constexpr long w3_warmup_calls = 50;

// The Adam constants every implementation uses (the book's defaults).
constexpr double adam_epsilon = 1e-7;
constexpr double adam_beta_1 = 0.9;
constexpr double adam_beta_2 = 0.999;

/// The book's learning-rate decay: lr / (1 + decay·t), t = completed steps.
inline double decayed_learning_rate(double lr, double decay, long step) {
  return lr * (1.0 / (1.0 + decay * static_cast<double>(step)));
}

// ------------------------------------------------------------------------------ command line
struct Args {
  std::string workload;
  int threads = 1;
  int reps = 1;
  std::string data = "data";
  std::string variant;  // runner-specific (nnfs: fast|book)
};

inline Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value after " + key);
    const std::string value = argv[++i];
    if (key == "--workload") {
      a.workload = value;
    } else if (key == "--threads") {
      a.threads = std::stoi(value);
    } else if (key == "--reps") {
      a.reps = std::stoi(value);
    } else if (key == "--data") {
      a.data = value;
    } else if (key == "--variant") {
      a.variant = value;
    } else {
      throw std::invalid_argument("unknown option " + key);
    }
  }
  if (a.workload != "W1" && a.workload != "W2" && a.workload != "W3-1" && a.workload != "W3-256")
    throw std::invalid_argument("--workload must be W1, W2, W3-1 or W3-256, got '" + a.workload + "'");
  if (a.threads < 1 || a.reps < 1) throw std::invalid_argument("--threads and --reps must be >= 1");
  return a;
}

// ------------------------------------------------------------------------------ .npy files
// Only what the benchmarks need: C-ordered 2-D float32 ('<f4') and 1-D int32 ('<i4') arrays.
using MatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using LabelsI = Eigen::Matrix<std::int32_t, Eigen::Dynamic, 1>;

inline void write_npy(const std::string& path, const char* descr, const std::vector<long>& shape, const void* data,
                      std::size_t bytes) {
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) header += ", ";
    header += std::to_string(shape[i]);
  }
  if (shape.size() == 1) header += ",";  // Python's one-element tuple: (60000,)
  header += "), }";
  const std::size_t unpadded = 10 + header.size() + 1;  // magic+version+length, header, '\n'
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  const char magic[8] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.write(magic, 8);
  const auto len = static_cast<std::uint16_t>(header.size());
  const char len_bytes[2] = {static_cast<char>(len & 0xFFU), static_cast<char>(len >> 8U)};
  out.write(len_bytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!out) throw std::runtime_error("write failed: " + path);
}

inline void save(const std::string& path, const MatrixF& m) {
  write_npy(path, "<f4", {static_cast<long>(m.rows()), static_cast<long>(m.cols())}, m.data(),
            static_cast<std::size_t>(m.size()) * sizeof(float));
}

inline void save(const std::string& path, const LabelsI& v) {
  write_npy(path, "<i4", {static_cast<long>(v.size())}, v.data(), static_cast<std::size_t>(v.size()) * sizeof(std::int32_t));
}

/// Reads a .npy file written by save(): returns the shape and fills `payload`.
inline std::vector<long> read_npy(const std::string& path, const char* descr, std::vector<char>& payload) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + " (run nnfs_bench_data first)");
  char magic[10];
  in.read(magic, 10);
  if (!in || std::memcmp(magic, "\x93NUMPY\x01\x00", 8) != 0) throw std::runtime_error(path + ": not a .npy v1 file");
  const std::size_t len = static_cast<unsigned char>(magic[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(magic[9])) << 8U);
  std::string header(len, '\0');
  in.read(header.data(), static_cast<std::streamsize>(len));
  if (header.find(std::string("'descr': '") + descr + "'") == std::string::npos ||
      header.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error(path + ": expected a C-ordered " + descr + " array, header " + header);
  std::vector<long> shape;
  const auto open = header.find('(');
  const auto close = header.find(')');
  std::stringstream dims(header.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(dims, item, ','))
    if (item.find_first_not_of(' ') != std::string::npos) shape.push_back(std::stol(item));
  long count = 1;
  for (const long d : shape) count *= d;
  payload.resize(static_cast<std::size_t>(count) * 4);
  in.read(payload.data(), static_cast<std::streamsize>(payload.size()));
  if (!in) throw std::runtime_error(path + ": truncated");
  return shape;
}

inline MatrixF load_matrix(const std::string& path) {
  std::vector<char> bytes;
  const auto shape = read_npy(path, "<f4", bytes);
  if (shape.size() != 2) throw std::runtime_error(path + ": expected a 2-D array");
  MatrixF m(shape[0], shape[1]);
  std::memcpy(m.data(), bytes.data(), bytes.size());
  return m;
}

inline LabelsI load_labels(const std::string& path) {
  std::vector<char> bytes;
  const auto shape = read_npy(path, "<i4", bytes);
  if (shape.size() != 1) throw std::runtime_error(path + ": expected a 1-D array");
  LabelsI v(shape[0]);
  std::memcpy(v.data(), bytes.data(), bytes.size());
  return v;
}

/// The data of a workload: inputs, labels and the initial weights of each Dense layer (biases
/// start at zero).
struct Data {
  MatrixF X;
  LabelsI y;
  std::vector<MatrixF> weights;
};

inline Data load_data(const std::string& dir, const std::string& workload) {
  Data d;
  if (workload == "W1") {
    d.X = load_matrix(dir + "/w1_X.npy");
    d.y = load_labels(dir + "/w1_y.npy");
    d.weights = {load_matrix(dir + "/w1_W1.npy"), load_matrix(dir + "/w1_W2.npy")};
  } else {
    d.X = load_matrix(dir + "/w2_X.npy");
    d.y = load_labels(dir + "/w2_y.npy");
    d.weights = {load_matrix(dir + "/w2_W1.npy"), load_matrix(dir + "/w2_W2.npy"), load_matrix(dir + "/w2_W3.npy")};
  }
  return d;
}

// ------------------------------------------------------------------------------ timing, output
using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// CPU time of the whole process (all threads), in seconds. Reported next to the wall time: on a
/// machine shared with other work, a single-threaded run's CPU time is what it would take alone.
inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Wall and CPU time of one repetition.
class Timer {
 public:
  Timer() : wall_(Clock::now()), cpu_(process_cpu_seconds()) {}
  double wall() const { return seconds_since(wall_); }
  double cpu() const { return process_cpu_seconds() - cpu_; }

 private:
  Clock::time_point wall_;
  double cpu_;
};

/// One repetition's result as a JSON line. `seconds` is the time of the whole training run (W1,
/// W2) or of one prediction (W3: total time / calls); `loss` the final loss (W1: the last
/// epoch's; W2: the mean of the epoch's batch losses) or, for W3, a checksum of the outputs.
/// `per` divides both times (W3 reports one call).
inline void report(const char* impl, const Args& a, int rep, const Timer& timer, double loss, double accuracy,
                   double per = 1.0) {
  const double wall = timer.wall() / per;
  const double cpu = timer.cpu() / per;
  std::printf(
      "{\"impl\": \"%s\", \"workload\": \"%s\", \"threads\": %d, \"rep\": %d, \"seconds\": %.9g, "
      "\"cpu_seconds\": %.9g, \"loss\": %.9g, \"accuracy\": %.9g}\n",
      impl, a.workload.c_str(), a.threads, rep, wall, cpu, loss, accuracy);
  std::fflush(stdout);
}

/// W3's checksum of one prediction row p: Σ_j (j+1)·p_j (the expected class index + 1), summed
/// over all calls and divided by the number of rows seen.
template <class Row>
double checksum_row(const Row& p) {
  double s = 0.0;
  for (Eigen::Index j = 0; j < p.size(); ++j) s += static_cast<double>(j + 1) * static_cast<double>(p(j));
  return s;
}

}  // namespace bench

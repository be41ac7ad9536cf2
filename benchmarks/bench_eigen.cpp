// nnfs_bench_eigen — the workloads as a hand-written Eigen loop: every buffer allocated once
// before the loop, products with noalias() into them, element-wise steps as single Eigen
// expressions, the softmax + cross-entropy gradient (ŷ − t)/N written directly, no gradient
// for the data. This is what an experienced Eigen user writes for one fixed network: the lower
// bound a general library can approach (it does no shape checks, keeps no copies of inputs,
// and is not bit-compatible with anything).
//
// Threads: linked with OpenMP when available; Eigen::setNbThreads(N) lets Eigen's own GEMM use
// N threads for products large enough to split.
#include "common.hpp"

#include <Eigen/Core>

#include <cmath>
#include <cstdio>
#include <exception>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Row = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using Col = Eigen::VectorXf;
using Labels = bench::LabelsI;

/// One Dense layer's parameters, gradients and Adam state.
struct Layer {
  Mat W, dW, mW, vW;
  Row b, db, mb, vb;
  explicit Layer(const Mat& w)
      : W(w),
        dW(w.rows(), w.cols()),
        mW(Mat::Zero(w.rows(), w.cols())),
        vW(Mat::Zero(w.rows(), w.cols())),
        b(Row::Zero(w.cols())),
        db(w.cols()),
        mb(Row::Zero(w.cols())),
        vb(Row::Zero(w.cols())) {}
};

/// Adam with the book's bias correction; t = completed steps + 1.
struct Adam {
  double lr;
  double decay;
  long steps = 0;

  template <class P, class M>
  static void update(P& p, const P& g, M& m, M& v, float beta1, float beta2, float step, float vcorr, float eps) {
    m = beta1 * m + (1.0F - beta1) * g;
    v = beta2 * v + (1.0F - beta2) * g.cwiseProduct(g);
    p.array() -= step * m.array() / ((v.array() / vcorr).sqrt() + eps);
  }

  void step(Layer* const* layers, int count) {
    const double current_lr = bench::decayed_learning_rate(lr, decay, steps);
    const double t = static_cast<double>(steps + 1);
    const auto b1 = static_cast<float>(bench::adam_beta_1);
    const auto b2 = static_cast<float>(bench::adam_beta_2);
    const auto mcorr = static_cast<float>(1.0 - std::pow(bench::adam_beta_1, t));
    const auto vcorr = static_cast<float>(1.0 - std::pow(bench::adam_beta_2, t));
    const auto step_size = static_cast<float>(current_lr) / mcorr;
    const auto eps = static_cast<float>(bench::adam_epsilon);
    for (int i = 0; i < count; ++i) {
      Layer& l = *layers[i];
      update(l.W, l.dW, l.mW, l.vW, b1, b2, step_size, vcorr, eps);
      update(l.b, l.db, l.mb, l.vb, b1, b2, step_size, vcorr, eps);
    }
    ++steps;
  }
};

/// Softmax of Z into P; returns the mean clipped cross-entropy and writes (P − onehot)/N into dZ;
/// `correct` counts argmax hits.
template <class Y>
float softmax_cross_entropy(const Mat& Z, const Y& y, Mat& P, Mat& dZ, Col& rowstat, long& correct) {
  const Eigen::Index n = Z.rows();
  rowstat = Z.rowwise().maxCoeff();
  P.array() = (Z.colwise() - rowstat).array().exp();
  rowstat = P.rowwise().sum();
  P.array().colwise() /= rowstat.array();
  double loss = 0.0;
  correct = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const float p = std::min(std::max(P(i, y(i)), 1e-7F), 1.0F - 1e-7F);
    loss -= std::log(static_cast<double>(p));
    Eigen::Index best = 0;
    P.row(i).maxCoeff(&best);
    correct += best == y(i) ? 1 : 0;
  }
  dZ = P;
  for (Eigen::Index i = 0; i < n; ++i) dZ(i, y(i)) -= 1.0F;
  dZ /= static_cast<float>(n);
  return static_cast<float>(loss / static_cast<double>(n));
}

void set_threads(int threads) {
#ifdef _OPENMP
  omp_set_num_threads(threads);
#endif
  Eigen::setNbThreads(threads);
}

void w1(const bench::Args& args, const bench::Data& data) {
  const Eigen::Index n = data.X.rows();
  const Mat& X = data.X;
  Mat Z1(n, bench::w1_hidden), H(n, bench::w1_hidden), dH(n, bench::w1_hidden);
  Mat Z2(n, bench::w1_classes), P(n, bench::w1_classes), dZ2(n, bench::w1_classes);
  Col rowstat(n);
  for (int rep = 0; rep < args.reps; ++rep) {
    Layer l1(data.weights[0]);
    Layer l2(data.weights[1]);
    Layer* layers[] = {&l1, &l2};
    Adam adam{bench::w1_learning_rate, bench::w1_decay};
    float loss = 0.0F;
    long correct = 0;
    const bench::Timer timer;
    for (long epoch = 0; epoch < bench::w1_epochs; ++epoch) {
      Z1.noalias() = X * l1.W;
      Z1.rowwise() += l1.b;
      H = Z1.cwiseMax(0.0F);
      Z2.noalias() = H * l2.W;
      Z2.rowwise() += l2.b;
      loss = softmax_cross_entropy(Z2, data.y, P, dZ2, rowstat, correct);
      l2.dW.noalias() = H.transpose() * dZ2;
      l2.db = dZ2.colwise().sum();
      dH.noalias() = dZ2 * l2.W.transpose();
      dH = (Z1.array() > 0.0F).select(dH, 0.0F);
      l1.dW.noalias() = X.transpose() * dH;
      l1.db = dH.colwise().sum();
      adam.step(layers, 2);
    }
    bench::report("eigen-hand", args, rep, timer, static_cast<double>(loss),
                  static_cast<double>(correct) / static_cast<double>(n));
  }
}

struct Mlp {
  Layer l1, l2, l3;
  Mat Z1, H1, Z2, H2, Z3, P, dZ3, dH2, dH1;
  Col rowstat;
  explicit Mlp(const bench::Data& data) : l1(data.weights[0]), l2(data.weights[1]), l3(data.weights[2]) {}

  template <class X>
  void forward(const X& x) {
    Z1.noalias() = x * l1.W;
    Z1.rowwise() += l1.b;
    H1 = Z1.cwiseMax(0.0F);
    Z2.noalias() = H1 * l2.W;
    Z2.rowwise() += l2.b;
    H2 = Z2.cwiseMax(0.0F);
    Z3.noalias() = H2 * l3.W;
    Z3.rowwise() += l3.b;
  }
};

void w2(const bench::Args& args, const bench::Data& data) {
  const long steps = (bench::w2_samples + bench::w2_batch - 1) / bench::w2_batch;
  for (int rep = 0; rep < args.reps; ++rep) {
    Mlp net(data);
    Layer* layers[] = {&net.l1, &net.l2, &net.l3};
    Adam adam{bench::w2_learning_rate, 0.0};
    double loss_sum = 0.0;
    double accuracy_sum = 0.0;
    const bench::Timer timer;
    for (long step = 0; step < steps; ++step) {
      const long first = step * bench::w2_batch;
      const long n = std::min(bench::w2_batch, bench::w2_samples - first);
      const auto x = data.X.middleRows(first, n);
      const auto y = data.y.segment(first, n);
      net.forward(x);
      long correct = 0;
      loss_sum += static_cast<double>(softmax_cross_entropy(net.Z3, y, net.P, net.dZ3, net.rowstat, correct));
      accuracy_sum += static_cast<double>(correct) / static_cast<double>(n);
      net.l3.dW.noalias() = net.H2.transpose() * net.dZ3;
      net.l3.db = net.dZ3.colwise().sum();
      net.dH2.noalias() = net.dZ3 * net.l3.W.transpose();
      net.dH2 = (net.Z2.array() > 0.0F).select(net.dH2, 0.0F);
      net.l2.dW.noalias() = net.H1.transpose() * net.dH2;
      net.l2.db = net.dH2.colwise().sum();
      net.dH1.noalias() = net.dH2 * net.l2.W.transpose();
      net.dH1 = (net.Z1.array() > 0.0F).select(net.dH1, 0.0F);
      net.l1.dW.noalias() = x.transpose() * net.dH1;
      net.l1.db = net.dH1.colwise().sum();
      adam.step(layers, 3);
    }
    bench::report("eigen-hand", args, rep, timer, loss_sum / static_cast<double>(steps),
                  accuracy_sum / static_cast<double>(steps));
  }
}

void w3(const bench::Args& args, const bench::Data& data) {
  const long batch = args.workload == "W3-1" ? 1 : bench::w3_batch;
  const long calls = batch == 1 ? bench::w3_single_calls : bench::w3_batch_calls;
  const long batches = bench::w2_samples / batch;
  Mlp net(data);
  Col rowstat(batch);
  auto predict = [&](long call) -> const Mat& {
    net.forward(data.X.middleRows((call % batches) * batch, batch));
    rowstat = net.Z3.rowwise().maxCoeff();
    net.P.array() = (net.Z3.colwise() - rowstat).array().exp();
    rowstat = net.P.rowwise().sum();
    net.P.array().colwise() /= rowstat.array();
    return net.P;
  };
  for (long call = 0; call < bench::w3_warmup_calls; ++call) predict(call);
  for (int rep = 0; rep < args.reps; ++rep) {
    double checksum = 0.0;
    const bench::Timer timer;
    for (long call = 0; call < calls; ++call) checksum += bench::checksum_row(predict(call).row(0));
    bench::report("eigen-hand", args, rep, timer, checksum / static_cast<double>(calls), 0.0, static_cast<double>(calls));
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Args args = bench::parse_args(argc, argv);
    set_threads(args.threads);
    const bench::Data data = bench::load_data(args.data, args.workload);
    if (args.workload == "W1") {
      w1(args, data);
    } else if (args.workload == "W2") {
      w2(args, data);
    } else {
      w3(args, data);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nnfs_bench_eigen: %s\n", e.what());
    return 1;
  }
}

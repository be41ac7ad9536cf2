// The Model (book chapters 18–22): its printed lines against NumPy (tests/golden/gen_model.py,
// our NumPy implementation of the book's Model), and the API around it — predict/evaluate,
// parameters, summary, callbacks, early stopping, history, shuffling, and misuse.
#include "nnfs_catch.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using nnfs_test::quiet;

template <class T>
using M = nnfs::Matrix<T>;

/// Everything written to a temporary FILE* by `write`.
template <class F>
std::string captured(F&& write) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  write(f);
  std::fflush(f);
  std::rewind(f);
  std::string text;
  char buf[4096];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, got);
  std::fclose(f);
  return text;
}

std::string golden(const std::string& name) {
  std::ifstream in(nnfs_test::data_path("model/" + name + ".txt"), std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The book's one-time shuffle (chapter 19): keys = 0..n−1 shuffled by the default generator.
template <class T, class Y>
void shuffle_once(M<T>& X, Y& y) {
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(X.rows());
  for (nnfs::Index i = 0; i < X.rows(); ++i) keys(i) = i;
  nnfs::default_random_state().shuffle(keys);
  M<T> X2(X.rows(), X.cols());
  Y y2 = y;
  for (nnfs::Index i = 0; i < X.rows(); ++i) {
    X2.row(i) = X.row(static_cast<nnfs::Index>(keys(i)));
    y2.row(i) = y.row(static_cast<nnfs::Index>(keys(i)));
  }
  X = X2;
  y = y2;
}

/// A small softmax classifier (2 → 16 → 3) on spiral(30, 3), for the API tests.
template <class T>
nnfs::Model<T> small_classifier(double dropout = 0.0) {
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(2, 16));
  model.add(nnfs::ReLU<T>());
  if (dropout > 0) model.add(nnfs::Dropout<T>(dropout));
  model.add(nnfs::Dense<T>(16, 3));
  model.add(nnfs::Softmax<T>());
  model.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(0.02, 1e-3), nnfs::CategoricalAccuracy());
  model.finalize();
  return model;
}

/// Records every callback event as one line.
class Recorder : public nnfs::Callback {
 public:
  void on_train_begin(const nnfs::TrainingInfo& i) override {
    events.push_back("begin epochs=" + std::to_string(i.epochs) + " steps=" + std::to_string(i.steps_per_epoch) +
                     " batch=" + std::to_string(i.batch_size));
  }
  void on_epoch_begin(std::size_t e) override { events.push_back("epoch " + std::to_string(e)); }
  void on_batch_end(const nnfs::BatchInfo& b) override {
    events.push_back("batch " + std::to_string(b.epoch) + "." + std::to_string(b.step) + "/" + std::to_string(b.steps));
  }
  void on_epoch_end(const nnfs::History::Record& r) override {
    events.push_back("end epoch " + std::to_string(r.epoch) + (r.validation_loss ? " validated" : ""));
    if (stop_after_epoch != 0 && r.epoch == stop_after_epoch) request_stop("enough");
  }
  void on_train_end(const nnfs::History& h) override { events.push_back("end " + std::to_string(h.size())); }

  std::vector<std::string> events;
  std::size_t stop_after_epoch = 0;
};

}  // namespace

// ------------------------------------------------------------------ against NumPy, line for line

TEST_CASE("Model: chapter 18 form (full batch, print every 5, validation at the end) prints NumPy's lines",
          "[model][golden]") {
  nnfs::NumericsScope book(nnfs::Numerics::book);
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(100, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  const auto data_x_test = nnfs::datasets::spiral_data<float>(100, 3);
  const auto& X_test = data_x_test.X;
  const auto& y_test = data_x_test.y;
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 64));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(64, 3));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-7), nnfs::CategoricalAccuracy());
  model.finalize();
  const std::string out = captured([&](std::FILE* f) {
    nnfs::TrainOptions<float> o;
    o.epochs = 20;
    o.print_every = 5;
    o.validation.emplace(X_test, y_test);
    o.log = f;
    model.train(X, y, o);
  });
  REQUIRE(out == golden("fullbatch_short"));
}

TEST_CASE("Model: mini-batches with a partial last batch, dropout, L2 and batched validation print NumPy's lines",
          "[model][golden]") {
  nnfs::NumericsScope book(nnfs::Numerics::book);
  nnfs::init();
  auto data_x = nnfs::datasets::spiral_data<float>(100, 3);
  auto& X = data_x.X;
  auto& y = data_x.y;
  shuffle_once(X, y);
  const auto data_x_test = nnfs::datasets::spiral_data<float>(50, 3);
  const auto& X_test = data_x_test.X;
  const auto& y_test = data_x_test.y;
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 64, nnfs::Regularization{0.0, 5e-4, 0.0, 5e-4}));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dropout<float>(0.1));
  model.add(nnfs::Dense<float>(64, 3));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.02, 1e-3), nnfs::CategoricalAccuracy());
  model.finalize();
  nnfs::History history;
  const std::string out = captured([&](std::FILE* f) {
    nnfs::TrainOptions<float> o;
    o.epochs = 4;
    o.batch_size = 64;
    o.print_every = 2;
    o.validation.emplace(X_test, y_test);
    o.log = f;
    history = model.train(X, y, o);
  });
  REQUIRE(out == golden("minibatch_classifier"));
  // 300 samples in batches of 64: 5 steps per epoch, the last of 44 samples.
  REQUIRE(model.optimizer()->iterations() == std::int64_t{4} * 5);
  REQUIRE(history.size() == 4);
  REQUIRE(history.records.back().validation_accuracy.has_value());
}

TEST_CASE("Model: sigmoid + binary cross-entropy with one-column targets prints NumPy's lines", "[model][golden]") {
  nnfs::NumericsScope book(nnfs::Numerics::book);
  nnfs::init();
  auto data_x = nnfs::datasets::spiral_data<float>(100, 2);
  auto& X = data_x.X;
  auto& labels = data_x.y;
  M<float> y = labels.cast<float>();
  shuffle_once(X, y);
  const auto data_x_test = nnfs::datasets::spiral_data<float>(50, 2);
  const auto& X_test = data_x_test.X;
  const auto& labels_test = data_x_test.y;
  const M<float> y_test = labels_test.cast<float>();
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 32, nnfs::Regularization{0.0, 5e-4, 0.0, 5e-4}));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(32, 1));
  model.add(nnfs::Sigmoid<float>());
  model.set(nnfs::BinaryCrossentropy<float>(), nnfs::Adam(0.01, 5e-7), nnfs::CategoricalAccuracy(true));
  model.finalize();
  const std::string out = captured([&](std::FILE* f) {
    nnfs::TrainOptions<float> o;
    o.epochs = 3;
    o.batch_size = 50;
    o.validation.emplace(X_test, y_test);
    o.log = f;
    model.train(X, y, o);
  });
  REQUIRE(out == golden("minibatch_binary"));
}

TEST_CASE("Model: linear output + mean squared error with regression accuracy prints NumPy's lines",
          "[model][golden]") {
  nnfs::NumericsScope book(nnfs::Numerics::book);
  nnfs::init();
  auto data_x = nnfs::datasets::sine_data<float>(200);
  auto& X = data_x.X;
  auto& y = data_x.y;
  shuffle_once(X, y);
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(1, 64, nnfs::Regularization{}, 0.1));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(64, 1, nnfs::Regularization{}, 0.1));
  model.add(nnfs::Linear<float>());
  model.set(nnfs::MeanSquaredError<float>(), nnfs::Adam(0.005, 1e-3), nnfs::RegressionAccuracy());
  model.finalize();
  const std::string out = captured([&](std::FILE* f) {
    nnfs::TrainOptions<float> o;
    o.epochs = 3;
    o.batch_size = 64;
    o.print_every = 2;
    o.log = f;
    model.train(X, y, o);
  });
  REQUIRE(out == golden("minibatch_regression"));
}

// ------------------------------------------------------------------ predict, evaluate, parameters

TEMPLATE_TEST_CASE("Model::predict equals the layers' evaluation forward pass, in any batch size", "[model]", float,
                   double) {
  using T = TestType;
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<T>(30, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<T>(0.2);
  model.train(X, y, quiet<T>(5, 16));

  const M<T> all = model.predict(X);
  REQUIRE(all.rows() == 90);
  REQUIRE(all.cols() == 3);
  // Dropout is off in evaluation: predicting twice gives the same outputs...
  REQUIRE(M<T>(model.predict(X)) == all);
  // ...and batches of 7 (the last one 6 rows) give the same rows. Rows are computed
  // independently, so in fast mode the same rounding: compare within a few ulps.
  const M<T> batched = model.predict(X, 7);
  for (nnfs::Index i = 0; i < all.rows(); ++i)
    for (nnfs::Index j = 0; j < all.cols(); ++j)
      REQUIRE_THAT(static_cast<double>(batched(i, j)),
                   Catch::Matchers::WithinRel(static_cast<double>(all(i, j)), 1e-5));
  // Probabilities: rows sum to 1; predict_classes is their argmax.
  for (nnfs::Index i = 0; i < all.rows(); ++i)
    REQUIRE_THAT(static_cast<double>(all.row(i).sum()), Catch::Matchers::WithinAbs(1.0, 1e-5));
  const nnfs::Labels classes = model.predict_classes(X);
  REQUIRE(classes == nnfs::argmax_rows(all));
  // A training-mode forward with dropout differs from the evaluation output.
  REQUIRE(M<T>(model.forward(X, true)) != all);
}

TEMPLATE_TEST_CASE("Model::evaluate returns the accumulated loss and accuracy, equal to a hand computation",
                   "[model]", float, double) {
  using T = TestType;
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<T>(30, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<T>();
  model.train(X, y, quiet<T>(10));
  const M<T> probs = model.predict(X);
  // Hand computation: mean of −log(clip(p[label])) and the share of rows whose argmax is the label.
  double loss = 0;
  nnfs::Index hits = 0;
  for (nnfs::Index i = 0; i < X.rows(); ++i) {
    const double p = std::clamp(static_cast<double>(probs(i, y(i))), 1e-7, 1 - 1e-7);
    loss -= std::log(p);
    hits += nnfs::argmax_rows(probs.row(i))(0) == y(i) ? 1 : 0;
  }
  loss /= static_cast<double>(X.rows());
  const std::string printed = captured([&](std::FILE* f) {
    const nnfs::Evaluation e = model.evaluate(X, y, 0, true, f);
    REQUIRE_THAT(e.loss, Catch::Matchers::WithinRel(loss, 1e-5));
    REQUIRE(e.accuracy == static_cast<double>(hits) / static_cast<double>(X.rows()));
  });
  REQUIRE(printed.rfind("validation, acc: ", 0) == 0);
  // In batches of 20 (the last of 10) the accumulated figures are the same.
  const nnfs::Evaluation b = model.evaluate(X, y, 20, false);
  REQUIRE_THAT(b.loss, Catch::Matchers::WithinRel(loss, 1e-5));
  REQUIRE(b.accuracy == static_cast<double>(hits) / static_cast<double>(X.rows()));
}

TEMPLATE_TEST_CASE("Model get_parameters/set_parameters move a trained network into a fresh one", "[model]", float,
                   double) {
  using T = TestType;
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<T>(30, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto trained = small_classifier<T>();
  trained.train(X, y, quiet<T>(20));
  const auto params = trained.get_parameters();
  REQUIRE(params.size() == 2);
  REQUIRE(params[0].first.rows() == 2);
  REQUIRE(params[0].first.cols() == 16);
  REQUIRE(params[1].second.cols() == 3);

  auto fresh = small_classifier<T>();
  REQUIRE(M<T>(fresh.predict(X)) != M<T>(trained.predict(X)));
  fresh.set_parameters(params);
  REQUIRE(M<T>(fresh.predict(X)) == M<T>(trained.predict(X)));
  REQUIRE(fresh.template layer_as<nnfs::Dense<T>>(0).weights == params[0].first);
}

TEST_CASE("Model::summary lists layers, output shapes and parameter counts", "[model]") {
  nnfs::init();
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 512, nnfs::Regularization{0.0, 5e-4, 0.0, 5e-4}));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dropout<float>(0.1));
  model.add(nnfs::Dense<float>(512, 3));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
  model.finalize();
  const std::string s = model.summary();
  // 2·512 + 512 = 1536 and 512·3 + 3 = 1539 parameters, 3075 in all.
  REQUIRE(model.parameter_count() == 3075);
  REQUIRE(s.find("Dense(2, 512, weight L2 0.0005, bias L2 0.0005)") != std::string::npos);
  REQUIRE(s.find("(N, 512)") != std::string::npos);
  REQUIRE(s.find("1536") != std::string::npos);
  REQUIRE(s.find("1539") != std::string::npos);
  REQUIRE(s.find("Dropout(0.1)") != std::string::npos);
  REQUIRE(s.find("(N, 3)") != std::string::npos);
  REQUIRE(s.find("total parameters: 3075") != std::string::npos);
  REQUIRE(s.find("combined with Softmax") != std::string::npos);
  REQUIRE(s.find("Adam(learning_rate 0.05, decay 5e-05") != std::string::npos);
}

// ------------------------------------------------------------------ callbacks, history, options

TEST_CASE("Model callbacks see every event in order, and a callback can stop training", "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;  // 30 samples
  auto model = small_classifier<float>();
  Recorder r;
  auto o = quiet<float>(3, 16);  // 2 steps per epoch (16 + 14)
  o.validation.emplace(X, y);
  o.callbacks = {&r};
  const nnfs::History h = model.train(X, y, o);
  const std::vector<std::string> want = {
      "begin epochs=3 steps=2 batch=16",
      "epoch 1", "batch 1.0/2", "batch 1.1/2", "end epoch 1 validated",
      "epoch 2", "batch 2.0/2", "batch 2.1/2", "end epoch 2 validated",
      "epoch 3", "batch 3.0/2", "batch 3.1/2", "end epoch 3 validated",
      "end 3"};
  REQUIRE(r.events == want);
  REQUIRE(h.size() == 3);

  Recorder stopper;
  stopper.stop_after_epoch = 2;
  auto o2 = quiet<float>(10, 16);
  o2.callbacks = {&stopper};
  const nnfs::History h2 = model.train(X, y, o2);
  REQUIRE(h2.size() == 2);
  REQUIRE(stopper.events.back() == "end 2");
  REQUIRE(stopper.stop_reason() == "enough");
}

TEST_CASE("Full-batch training validates once, after the last epoch (chapter 18)", "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  Recorder r;
  auto o = quiet<float>(3);
  o.validation.emplace(X, y);
  o.callbacks = {&r};
  const nnfs::History h = model.train(X, y, o);
  REQUIRE(r.events[1] == "epoch 1");
  REQUIRE(r.events[2] == "batch 1.0/1");
  REQUIRE(r.events[3] == "end epoch 1");
  REQUIRE(!h.records[0].validation_loss.has_value());
  REQUIRE(!h.records[1].validation_loss.has_value());
  REQUIRE(h.records[2].validation_loss.has_value());
}

TEST_CASE("EarlyStopping stops after `patience` epochs without improvement", "[model][callbacks]") {
  nnfs::EarlyStopping stop("loss", 2, 0.0);
  stop.on_train_begin(nnfs::TrainingInfo{});
  const auto record = [](std::size_t epoch, double loss) {
    nnfs::History::Record r;
    r.epoch = epoch;
    r.loss = loss;
    return r;
  };
  stop.on_epoch_end(record(1, 1.0));
  stop.on_epoch_end(record(2, 0.8));  // better
  REQUIRE(!stop.stop_requested());
  stop.on_epoch_end(record(3, 0.8));  // not better (equal)
  REQUIRE(!stop.stop_requested());
  stop.on_epoch_end(record(4, 0.9));  // worse: second epoch without improvement
  REQUIRE(stop.stop_requested());
  REQUIRE(stop.best_epoch() == 2);
  REQUIRE(*stop.best() == 0.8);

  nnfs::EarlyStopping acc("validation_accuracy", 1, 0.05);
  nnfs::TrainingInfo info;
  info.validation = true;
  info.validate_each_epoch = true;
  acc.on_train_begin(info);
  nnfs::History::Record r1;
  r1.epoch = 1;
  r1.validation_accuracy = 0.50;
  nnfs::History::Record r2;
  r2.epoch = 2;
  r2.validation_accuracy = 0.54;  // +0.04 < min_delta 0.05: no improvement
  acc.on_epoch_end(r1);
  acc.on_epoch_end(r2);
  REQUIRE(acc.stop_requested());

  // In a real run: a monitor that cannot improve (patience 1 on a loss that is NaN-free but
  // monitored as validation loss of a fixed model) ends training early.
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  nnfs::EarlyStopping es("validation_loss", 1);
  auto o = quiet<float>(50, 10);
  o.validation.emplace(X, y);
  o.callbacks = {&es};
  const nnfs::History h = model.train(X, y, o);
  REQUIRE(h.size() < 50);
  REQUIRE(h.size() >= 2);
}

TEST_CASE("EarlyStopping on validation figures refuses a run that does not validate every epoch",
          "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  nnfs::EarlyStopping es("validation_loss", 3);
  auto o = quiet<float>(5);  // full batch: validation only at the end
  o.validation.emplace(X, y);
  o.callbacks = {&es};
  REQUIRE_THROWS_AS(model.train(X, y, o), std::invalid_argument);
  REQUIRE_THROWS_AS(nnfs::EarlyStopping("val_los"), std::invalid_argument);
  REQUIRE_THROWS_AS(nnfs::EarlyStopping("loss", 0), std::invalid_argument);
}

TEST_CASE("ProgressBar draws in place on a terminal and writes plain lines elsewhere", "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  const auto run = [&](bool interactive, std::size_t epochs, std::size_t batch_size) {
    return captured([&](std::FILE* f) {
      nnfs::ProgressBar bar(f);
      REQUIRE(!bar.interactive());  // a temporary file is not a terminal
      bar.set_interactive(interactive);
      auto o = quiet<float>(epochs, batch_size);
      o.validation.emplace(X, y);
      o.callbacks = {&bar};
      model.train(X, y, o);
    });
  };
  SECTION("mini-batches: a bar over each epoch's steps, one completed line per epoch") {
    const std::string plain = run(false, 3, 8);
    REQUIRE(plain.find('\r') == std::string::npos);
    REQUIRE(std::count(plain.begin(), plain.end(), '\n') == 3);  // one line per epoch
    REQUIRE(plain.find("epoch 3/3  [==============================] 4/4  acc ") != std::string::npos);
    REQUIRE(plain.find("val_acc") != std::string::npos);
    const std::string tty = run(true, 3, 8);
    REQUIRE(tty.find('\r') != std::string::npos);
    REQUIRE(std::count(tty.begin(), tty.end(), '\n') == 3);
  }
  SECTION("full batch: one bar over the epochs, redrawn in place, validation figures at the end") {
    const std::string tty = run(true, 25, 0);
    REQUIRE(std::count(tty.begin(), tty.end(), '\n') == 1);  // one line, redrawn, completed once
    const std::string last = tty.substr(tty.rfind('\r') + 1);
    REQUIRE(last.rfind("epochs  [==============================] 25/25  acc ", 0) == 0);
    REQUIRE(last.find("val_acc ") != std::string::npos);
    REQUIRE(last.find("val_loss ") != std::string::npos);
    // Plain output: a line for every tenth of the run (25 epochs: every 3rd epoch, 8 lines)
    // plus the final one with the validation figures.
    const std::string plain = run(false, 25, 0);
    REQUIRE(plain.find('\r') == std::string::npos);
    REQUIRE(std::count(plain.begin(), plain.end(), '\n') == 9);
    REQUIRE(plain.find("] 3/25  acc ") != std::string::npos);
    REQUIRE(plain.find("] 24/25  acc ") != std::string::npos);
    REQUIRE(plain.find("] 4/25  acc ") == std::string::npos);
    REQUIRE(plain.find("ETA ") != std::string::npos);
    REQUIRE(plain.substr(plain.rfind("] 25/25")).find("val_acc ") != std::string::npos);
  }
}

TEST_CASE("A ProgressBar replaces the book's lines unless they are asked for", "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  std::FILE* bar_stream = std::tmpfile();
  REQUIRE(bar_stream != nullptr);
  nnfs::ProgressBar bar(bar_stream);
  const auto book_lines = [&](std::optional<bool> book_log, bool with_bar) {
    return captured([&](std::FILE* f) {
      nnfs::TrainOptions<float> o;
      o.epochs = 2;
      o.batch_size = 10;
      o.log = f;
      o.book_log = book_log;
      if (with_bar) o.callbacks = {&bar};
      model.train(X, y, o);
    });
  };
  REQUIRE(book_lines(std::nullopt, true).empty());
  REQUIRE(book_lines(std::nullopt, false).rfind("epoch: 1\nstep: 0, acc: ", 0) == 0);
  REQUIRE(book_lines(true, true).rfind("epoch: 1\nstep: 0, acc: ", 0) == 0);
  REQUIRE(book_lines(false, false).empty());
  std::fclose(bar_stream);
}

TEST_CASE("Null output streams mean no output in Model::train and evaluate; callbacks refuse them",
          "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  auto model = small_classifier<float>();
  nnfs::TrainOptions<float> o;
  o.epochs = 2;
  o.log = nullptr;
  const nnfs::History h = model.train(data_x.X, data_x.y, o);
  REQUIRE(h.size() == 2);
  const nnfs::Evaluation e = model.evaluate(data_x.X, data_x.y, 0, true, nullptr);
  REQUIRE(std::isfinite(e.loss));
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::BookLog(nullptr), "BookLog: the output stream is null");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::ProgressBar(nullptr), "ProgressBar: the output stream is null");
}

TEST_CASE("StallWarning warns once when the loss stops improving by 0.1% for a window", "[model][callbacks]") {
  // Hand-made losses: the best is 0.9 at epoch 2 (0.8999 is not 0.1% below it: 0.9 − 0.0009 =
  // 0.8991), so with a window of 3 the warning comes at epoch 5 and only once.
  nnfs::StallWarning stall(3);
  stall.on_train_begin(nnfs::TrainingInfo{});
  const double losses[] = {1.0, 0.9, 0.8999, 0.9, 0.95, 0.97, 0.99};
  std::vector<std::size_t> warned_at;
  for (std::size_t e = 1; e <= 7; ++e) {
    nnfs::History::Record r;
    r.epoch = e;
    r.loss = losses[e - 1];
    stall.on_epoch_end(r);
    const auto w = stall.take_warnings();
    if (!w.empty()) {
      warned_at.push_back(e);
      REQUIRE(w.front().find("has not improved for 3 epochs (best 0.900 at epoch 2, now 0.950 at epoch 5)") !=
              std::string::npos);
    }
  }
  REQUIRE(warned_at == std::vector<std::size_t>{5});

  // With `learned`: quiet once the loss fell below (1 − learned) × the first epoch's (1.0 → 0.5
  // is learning), still watching while it has not (1.0 → 0.95 is above 0.9).
  const auto warnings_for = [](const std::vector<double>& run, double learned) {
    nnfs::StallWarning s(3, 1e-3, learned);
    s.on_train_begin(nnfs::TrainingInfo{});
    std::size_t count = 0;
    for (std::size_t e = 1; e <= run.size(); ++e) {
      nnfs::History::Record r;
      r.epoch = e;
      r.loss = run[e - 1];
      s.on_epoch_end(r);
      count += s.take_warnings().size();
    }
    return count;
  };
  REQUIRE(warnings_for({1.0, 0.5, 0.6, 0.55, 0.52, 0.51}, 0.1) == 0);
  REQUIRE(warnings_for({1.0, 0.5, 0.6, 0.55, 0.52, 0.51}, 0.0) == 1);
  REQUIRE(warnings_for({1.0, 0.95, 0.96, 0.97, 0.96, 0.95}, 0.1) == 1);
  REQUIRE_THROWS_AS(nnfs::StallWarning(3, 1e-3, 1.0), std::invalid_argument);
  REQUIRE_THROWS_AS(nnfs::StallWarning(0), std::invalid_argument);
  REQUIRE_THROWS_AS(nnfs::StallWarning(3, -1.0), std::invalid_argument);
}

TEST_CASE("An absurd learning rate gets a warning through the callbacks, a sane one none", "[model][callbacks]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(30, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  const auto train = [&](double lr, std::optional<std::size_t> window) {
    nnfs::Model<float> model;
    model.add(nnfs::Dense<float>(2, 16));
    model.add(nnfs::ReLU<float>());
    model.add(nnfs::Dense<float>(16, 3));
    model.add(nnfs::Softmax<float>());
    model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(lr), nnfs::CategoricalAccuracy());
    model.finalize();
    nnfs::History h;
    const std::string out = captured([&](std::FILE* f) {
      nnfs::TrainOptions<float> o;
      o.epochs = 30;
      o.print_every = 10;
      o.log = f;
      o.stall_warning = window;
      h = model.train(X, y, o);
    });
    return std::make_pair(h, out);
  };
  const auto [absurd, absurd_log] = train(1e6, std::nullopt);
  REQUIRE(absurd.warnings.size() == 1);
  REQUIRE(absurd.warnings[0].find("the loss has not improved for 3 epochs") == 0);
  // Printed by the book's log on a line of its own, between the book's lines (epoch 4 < 10).
  REQUIRE(absurd_log.rfind("warning: the loss has not improved for 3 epochs", 0) == 0);
  REQUIRE(absurd_log.find("\nepoch: 10, acc: ") != std::string::npos);
  const auto [silenced, silenced_log] = train(1e6, std::size_t{0});
  REQUIRE(silenced.warnings.empty());
  REQUIRE(silenced_log.find("warning") == std::string::npos);
  const auto [sane, sane_log] = train(0.05, std::nullopt);
  REQUIRE(sane.warnings.empty());
  REQUIRE(sane_log.find("warning") == std::string::npos);
}

TEST_CASE("History records every epoch and writes them as CSV", "[model][history]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  auto o = quiet<float>(4, 10);
  o.validation.emplace(X, y);
  const nnfs::History h = model.train(X, y, o);
  REQUIRE(h.size() == 4);
  // Adam(0.02, decay 1e-3), 3 steps per epoch: the last step of epoch e is iteration 3e − 1,
  // so lr = 0.02 / (1 + 1e-3·(3e − 1)).
  for (std::size_t e = 1; e <= 4; ++e) {
    const auto& r = h.records[e - 1];
    REQUIRE(r.epoch == e);
    REQUIRE_THAT(r.learning_rate, Catch::Matchers::WithinRel(0.02 / (1 + 1e-3 * (3.0 * static_cast<double>(e) - 1)), 1e-12));
    REQUIRE(r.loss == r.data_loss + r.regularization_loss);
    REQUIRE(r.validation_loss.has_value());
  }
  REQUIRE(model.history().size() == 4);
  const std::string csv = h.csv();
  REQUIRE(csv.rfind("epoch,loss,data_loss,regularization_loss,accuracy,learning_rate,validation_loss,"
                    "validation_accuracy\n", 0) == 0);
  REQUIRE(std::count(csv.begin(), csv.end(), '\n') == 5);
  REQUIRE(csv.find(fmt::format("\n1,{},", h.records[0].loss)) != std::string::npos);

  nnfs::History partial;
  nnfs::History::Record r;
  r.epoch = 7;
  r.loss = 0.5;
  r.data_loss = 0.25;
  r.regularization_loss = 0.25;
  r.accuracy = 0.75;
  r.learning_rate = 0.001;
  partial.records.push_back(r);
  REQUIRE(partial.csv().substr(partial.csv().find('\n') + 1) == "7,0.5,0.25,0.25,0.75,0.001,,\n");
}

TEST_CASE("Per-epoch shuffling is opt-in, follows the RandomState, and is reproducible", "[model]") {
  const auto train = [](bool shuffle, std::uint32_t seed) {
    nnfs::init();
    const auto data_x = nnfs::datasets::spiral_data<float>(20, 3);
    const auto& X = data_x.X;
    const auto& y = data_x.y;
    auto model = small_classifier<float>();
    nnfs::RandomState rng(seed);
    auto o = quiet<float>(3, 16);
    o.shuffle = shuffle;
    o.rng = &rng;
    model.train(X, y, o);
    return model.get_parameters();
  };
  const auto a = train(true, 1);
  const auto b = train(true, 1);
  const auto c = train(true, 2);
  const auto d = train(false, 1);
  REQUIRE(a[0].first == b[0].first);
  REQUIRE(a[0].first != c[0].first);
  REQUIRE(a[0].first != d[0].first);
}

TEST_CASE("train_on_batch is one step of train on the whole batch", "[model]") {
  const auto make = [] {
    nnfs::init();
    return small_classifier<float>();
  };
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto a = make();
  auto b = make();
  const nnfs::BatchInfo s = a.train_on_batch(X, y);
  const nnfs::History h = b.train(X, y, quiet<float>(1));
  REQUIRE(a.get_parameters()[0].first == b.get_parameters()[0].first);
  // The step reports np.mean of the sample losses (float), the epoch record Σ/N in double.
  REQUIRE_THAT(s.data_loss, Catch::Matchers::WithinRel(h.records[0].data_loss, 1e-6));
  REQUIRE(s.accuracy == h.records[0].accuracy);
}

TEST_CASE("A diverging run stops with NonFiniteError naming the epoch and step", "[model]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  auto p = model.get_parameters();
  p[0].first.setConstant(3e38f);  // finite, but the first layer's outputs overflow to inf
  model.set_parameters(p);
  try {
    model.train(X, y, quiet<float>(2));
    FAIL("no exception");
  } catch (const nnfs::NonFiniteError& e) {
    const std::string what = e.what();
    REQUIRE(what.find("epoch 1, step 0") != std::string::npos);
    REQUIRE(what.find("diverged") != std::string::npos);
  }
}

TEST_CASE("Batch sizes that do not fit the index type are refused, not wrapped", "[model][misuse]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  const auto& X = data_x.X;
  const auto& y = data_x.y;
  auto model = small_classifier<float>();
  const std::size_t minus_one = static_cast<std::size_t>(-1);
  const std::size_t just_too_big = static_cast<std::size_t>(std::numeric_limits<nnfs::Index>::max()) + 1;
  for (const std::size_t b : {minus_one, just_too_big}) {
    auto o = quiet<float>(1, b);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.train(X, y, o), "Model::train: batch_size",
                             std::to_string(b), "too large");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.evaluate(X, y, b, false), "Model::evaluate: batch_size");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.predict(X, b), "Model::predict: batch_size");
  }
  // The largest that fits is just "everything at once".
  const std::size_t largest = static_cast<std::size_t>(std::numeric_limits<nnfs::Index>::max());
  const nnfs::Matrix<float> all = model.predict(X, 0);
  REQUIRE(model.predict(X, largest) == all);
  REQUIRE(model.evaluate(X, y, largest, false).loss == model.evaluate(X, y, 0, false).loss);
}

TEST_CASE("predict: non-finite inputs are refused as in train, naming the user's sample", "[model][misuse]") {
  nnfs::init();
  const auto data_x = nnfs::datasets::spiral_data<float>(10, 3);
  auto model = small_classifier<float>();
  nnfs::Matrix<float> X = data_x.X;
  X(17, 1) = std::numeric_limits<float>::quiet_NaN();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.predict(X), "Model::predict: X 30\u00d72 holds NaN or infinite",
                           "(sample 17)");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.predict(X, 4), "(sample 17)");  // not 1, its index in a batch
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.evaluate(X, data_x.y, 4, false), "(sample 17)");
  auto o = quiet<float>(1, 4);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.train(X, data_x.y, o), "(sample 17)");
  X(17, 1) = std::numeric_limits<float>::infinity();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.predict(X), "(sample 17)");
}

TEST_CASE("predict on (part of) its own last result gives the right answer", "[model]") {
  nnfs::init();
  // 3 → 3 layers so that an output can be fed back as an input.
  nnfs::Model<double> model;
  model.add(nnfs::Dense<double>(3, 3));
  model.add(nnfs::ReLU<double>());
  model.add(nnfs::Dense<double>(3, 3));
  model.add(nnfs::Softmax<double>());
  model.finalize();
  nnfs::RandomState rng(7);
  nnfs::Matrix<double> X(50, 3);
  for (nnfs::Index i = 0; i < X.size(); ++i) X.data()[i] = rng.randn();
  const nnfs::Matrix<double>& first = model.predict(X);
  const nnfs::Matrix<double> first_copy = first;
  const nnfs::Matrix<double> expected_all = model.predict(nnfs::Matrix<double>(first_copy));
  model.predict(X);  // its buffer holds the first result again
  const nnfs::Matrix<double> expected_top = model.predict(nnfs::Matrix<double>(first_copy.topRows(7)));
  model.predict(X);
  REQUIRE(model.predict(model.predict(X)) == expected_all);          // the whole buffer
  model.predict(X);
  REQUIRE(model.predict(model.predict(X).topRows(7), 3) == expected_top);  // a block that gets resized away
}

TEST_CASE("A moved-from Model is empty and says so", "[model]") {
  nnfs::init();
  auto model = small_classifier<float>();
  REQUIRE(model.finalized());
  nnfs::Model<float> taken = std::move(model);
  REQUIRE(taken.finalized());
  REQUIRE(!model.finalized());  // NOLINT(bugprone-use-after-move): what a moved-from model reports
  REQUIRE(model.summary().find("loss: (none)") != std::string::npos);  // NOLINT(bugprone-use-after-move)
  REQUIRE(taken.summary().find("loss: CategoricalCrossentropy (combined with Softmax") != std::string::npos);
  nnfs::Model<float> assigned;
  assigned = std::move(taken);
  REQUIRE(assigned.finalized());
  REQUIRE(!taken.finalized());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("A bad class target is named by its sample in the user's data, whatever the batches", "[model]") {
  nnfs::init();
  // Plain variables, not structured bindings: the throw checks capture them in lambdas.
  const auto data = nnfs::datasets::spiral_data<float>(20, 3);  // 60 samples
  const nnfs::Matrix<float> X = data.X;
  nnfs::Labels y = data.y;
  y(37) = 5;                                                // 3 classes: 5 is out of range
  for (const bool shuffle : {false, true})
    for (const std::size_t batch : {std::size_t(0), std::size_t(16), std::size_t(7)}) {
      INFO("batch_size " << batch << (shuffle ? ", shuffled" : ""));
      auto model = small_classifier<float>();
      auto o = quiet<float>(2, batch);
      o.shuffle = shuffle;
      NNFS_REQUIRE_THROWS_WITH(std::out_of_range, model.train(X, y, o), "Model::train", "label 5 of sample 37",
                               "outside [0, 3)");
      NNFS_REQUIRE_THROWS_WITH(std::out_of_range, model.evaluate(X, y, batch, false), "Model::evaluate",
                               "label 5 of sample 37");
    }
  y(37) = -1;
  auto model = small_classifier<float>();
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, model.train(X, y, quiet<float>(1, 16)), "label -1 of sample 37");

  // One-hot targets: a row with two ones, a row with none, a row with a soft value.
  y(37) = 2;
  nnfs::Matrix<float> one_hot = nnfs::Matrix<float>::Zero(60, 3);
  for (nnfs::Index i = 0; i < 60; ++i) one_hot(i, y(i)) = 1.0f;
  nnfs::Matrix<float> two = one_hot;
  two(41, 0) = two(41, 1) = two(41, 2) = 1.0f;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.train(X, two, quiet<float>(1, 16)), "Model::train",
                           "sample 41", "not one-hot", "3 entries equal 1");
  nnfs::Matrix<float> none = one_hot;
  none.row(58).setZero();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.evaluate(X, none, 7, false), "Model::evaluate",
                           "sample 58", "0 entries equal 1");
  nnfs::Matrix<float> soft = one_hot;
  soft(19, 0) = 0.5f;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.train(X, soft, quiet<float>(1, 16)), "sample 19",
                           "entry 0 is 0.5");
  // And the untouched data trains (the checks refuse nothing valid).
  REQUIRE_NOTHROW(model.train(X, one_hot, quiet<float>(1, 16)));
  REQUIRE_NOTHROW(model.train(X, y, quiet<float>(1, 16)));
}

TEST_CASE("A Model's optimizer epsilon that rounds to 0 in float is named, not blamed on the learning rate",
          "[model]") {
  nnfs::init();
  const auto data = nnfs::datasets::spiral_data<float>(20, 3);
  const nnfs::Matrix<float> X = data.X;
  const nnfs::Labels y = data.y;
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 16));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(16, 3));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.02, 0.0, 1e-50), nnfs::CategoricalAccuracy());
  model.finalize();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.train(X, y, quiet<float>(3)), "Adam: epsilon 1e-50",
                           "rounds to 0 in float");
  REQUIRE(model.predict(X).allFinite());
}

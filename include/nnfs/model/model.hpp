// nnfs/model/model.hpp — the book's Model (chapters 18–22): layers in order, a loss, an optimizer and
// an accuracy, trained with mini-batches and checked on validation data.
//
//     nnfs::Model<float> model;
//     model.add(nnfs::Dense<float>(2, 512, nnfs::Regularization{0, 5e-4, 0, 5e-4}));
//     model.add(nnfs::ReLU<float>());
//     model.add(nnfs::Dropout<float>(0.1));
//     model.add(nnfs::Dense<float>(512, 3));
//     model.add(nnfs::Softmax<float>());
//     model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
//     model.finalize();
//     model.train(X, y, /*epochs=*/10000, /*batch_size=*/0, /*print_every=*/100, nnfs::Validation<float>{X_test, y_test});
//
// One training step (the book's Model.train loop body), for a batch X_b (B×in) with targets y_b:
//     output      = layers.forward(X_b, training = true)                       B×out
//     data_loss   = mean_i L_i(output, y_b);  regularization_loss = Σ_layers penalty
//     predictions = argmax(output) (Softmax) | output > 0.5 (Sigmoid) | output
//     backward: softmax+CCE → (output − onehot(y_b)) / B straight into the last Dense;
//               otherwise loss.backward, then each layer's backward in reverse order, down
//               to the first Dense, which computes only dweights and dbiases (no ∂L/∂X)
//     optimizer: pre_update_params, update(each parameter of each layer), post_update_params
// Book behaviour by default: batches in order (steps = ⌈N / batch_size⌉, the last one shorter:
// 469 steps of 128 for 60 000 samples), the book's printed lines (nnfs::BookLog), no shuffling.
// TrainOptions::shuffle reshuffles the samples every epoch with a RandomState.
//
// Buffers: every layer, the loss and the model keep their buffers, so once the batch shape is
// stable a training step and predict allocate nothing on the heap (tests/test_allocations.cpp).
#pragma once

#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/model/callbacks.hpp"
#include "nnfs/core.hpp"
#include "nnfs/detail/fp.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/ops/finite.hpp"
#include "nnfs/model/history.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/losses/softmax_categorical_crossentropy.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

/// The targets a model trains on: class labels (N) or an N×k matrix (one-hot rows, binary
/// targets, regression values). Refers to the caller's object, which must outlive the call.
template <class T>
class Targets {
 public:
  Targets(const Labels& labels) : labels_(&labels) {}      // NOLINT(google-explicit-constructor)
  Targets(const Matrix<T>& matrix) : matrix_(&matrix) {}   // NOLINT(google-explicit-constructor)

  bool sparse() const { return labels_ != nullptr; }
  const Labels& labels() const { return *labels_; }
  const Matrix<T>& matrix() const { return *matrix_; }
  Index samples() const { return sparse() ? labels_->size() : matrix_->rows(); }
  std::string shape() const { return sparse() ? fmt::format("{} labels", labels_->size()) : shape_str(*matrix_); }

 private:
  const Labels* labels_ = nullptr;
  const Matrix<T>* matrix_ = nullptr;
};

/// Validation data for Model::train (the book's validation_data=(X_test, y_test)).
template <class T>
struct Validation {
  Validation(const Matrix<T>& X_, Targets<T> y_) : X(&X_), y(y_) {}
  const Matrix<T>* X;
  Targets<T> y;
};

/// Everything Model::train can be told. The defaults are the book's.
template <class T>
struct TrainOptions {
  std::size_t epochs = 1;
  std::size_t batch_size = 0;   ///< 0: the whole training set in one batch (the book's None)
  std::size_t print_every = 1;  ///< in epochs for full-batch training, in steps for mini-batches
  std::optional<Validation<T>> validation;
  bool shuffle = false;            ///< reshuffle the samples before every epoch
  RandomState* rng = nullptr;      ///< for shuffle; nullptr: nnfs::default_random_state()
  /// Print the book's lines (nnfs::BookLog) on `log`. Unset: yes, unless one of the callbacks
  /// draws progress itself (a ProgressBar), so the two never interleave on one terminal.
  std::optional<bool> book_log;
  std::FILE* log = stdout;  ///< nullptr: no book lines
  std::vector<Callback*> callbacks;  ///< called after the BookLog, in this order; not owned
  /// Warn (through the callbacks' on_warning, and in History::warnings) when the loss has not
  /// improved by 0.1% for this many epochs while it is still above 90% of the first epoch's
  /// (nnfs::StallWarning(n, 1e-3, 0.1): a run that never learned). Unset: a tenth of the epochs,
  /// at least 3; 0: never.
  std::optional<std::size_t> stall_warning;
};

/// What Model::evaluate measured: the accumulated loss (without regularization, as the book's
/// evaluate) and accuracy over all batches.
struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
};

template <class T>
class Model;
template <class T>
class Predictor;

namespace detail {
/// A flag that a move hands over and clears in the source.
class ResetOnMove {
 public:
  ResetOnMove() = default;
  ResetOnMove(bool v) : value_(v) {}  // NOLINT(google-explicit-constructor)
  ResetOnMove(ResetOnMove&& other) noexcept : value_(std::exchange(other.value_, false)) {}
  ResetOnMove& operator=(ResetOnMove&& other) noexcept {
    value_ = std::exchange(other.value_, false);
    return *this;
  }
  ResetOnMove(const ResetOnMove&) = delete;
  ResetOnMove& operator=(const ResetOnMove&) = delete;
  ~ResetOnMove() = default;
  operator bool() const { return value_; }  // NOLINT(google-explicit-constructor)

 private:
  bool value_ = false;
};
}  // namespace detail

namespace detail {
// Model files (save/load, to_bytes/from_bytes): defined in nnfs/model_file.hpp, which this
// header includes at its end.
template <class T>
std::string model_to_bytes(const Model<T>& model, bool include_optimizer_state);
template <class T>
Model<T> model_from_bytes(std::string_view bytes, std::string_view what);
template <class T>
void model_save(const Model<T>& model, const std::filesystem::path& path, bool include_optimizer_state);
template <class T>
Model<T> model_load(const std::filesystem::path& path);
}  // namespace detail

template <class T>
class Model {
  static_assert(std::is_floating_point_v<T>, "Model<T> needs a floating-point scalar");

 public:
  using Parameters = std::vector<std::pair<Matrix<T>, Matrix<T>>>;  // (weights, biases) per Dense

  Model() = default;
  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() = default;

  // ------------------------------------------------------------------------- building

  /// Appends a layer: Dense, ReLU, Dropout, Softmax, Sigmoid or Linear of the model's scalar,
  /// or a layer of your own (output, dinputs, forward, backward: nnfs/layer.hpp).
  /// Adding after finalize() un-finalizes the model (call finalize() again).
  template <class L>
  Model& add(L layer) {
    static_assert(detail::is_model_layer<L>::value,
                  "Model::add takes Dense, ReLU, Dropout, Softmax, Sigmoid, Linear or a layer of your own with "
                  "output, dinputs, forward(inputs) and backward(dvalues)");
    static_assert(std::is_same_v<typename detail::layer_traits<L>::scalar, T>,
                  "Model::add: the layer's scalar type differs from the model's");
    return add_layer(std::make_unique<LayerOf<L>>(std::move(layer)));
  }

  /// Appends a layer already behind the Layer<T> interface (a registered kind's factory makes
  /// one). Throws std::invalid_argument for a null pointer.
  Model& add_layer(std::unique_ptr<Layer<T>> layer) {
    if (!layer) throw std::invalid_argument("Model::add_layer: null layer");
    layers_.push_back(std::move(layer));
    finalized_ = false;
    return *this;
  }

  /// Sets the loss from one behind the ModelLoss<T> interface (a registered loss's factory).
  Model& set_loss(std::unique_ptr<detail::ModelLoss<T>> loss) {
    if (!loss) throw std::invalid_argument("Model::set_loss: null loss");
    loss_ = std::move(loss);
    finalized_ = false;
    return *this;
  }

  /// Sets any of the loss, the optimizer and the accuracy, in any order (the book's
  /// model.set(loss=..., optimizer=..., accuracy=...), each optional):
  ///     model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
  ///     model.set(nnfs::MeanSquaredError<float>(), nnfs::RegressionAccuracy());   // a loaded model
  template <class... Parts>
  Model& set(Parts... parts) {
    static_assert(sizeof...(Parts) > 0, "Model::set: pass a loss, an optimizer and/or an accuracy");
    (set_part(std::move(parts)), ...);
    finalized_ = false;
    return *this;
  }

  /// Checks the model and prepares training (the book's finalize): at least one layer, each
  /// Dense taking the width the layer before it gives, the combined softmax/cross-entropy
  /// backward when the last layer is Softmax and the loss is CategoricalCrossentropy.
  /// Throws std::logic_error (no layers) or std::invalid_argument (widths) naming the layers.
  Model& finalize() {
    if (layers_.empty()) throw std::logic_error("Model::finalize: the model has no layers (call add() first)");
    Index width = -1;
    trainable_.clear();
    parameters_.clear();
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      try {
        width = layers_[i]->output_width(width);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("Model::finalize: layer {} ({}): {}", i, layers_[i]->describe(), e.what()));
      }
      if (layers_[i]->has_parameters()) {
        trainable_.push_back(layers_[i].get());
        layers_[i]->parameters(parameters_);
      }
    }
    combined_ = layers_.back()->kind() == LayerKind::softmax && loss_ &&
                loss_->kind() == LossKind::categorical_crossentropy;
    finalized_ = true;
    return *this;
  }

  bool finalized() const { return finalized_; }

  // ------------------------------------------------------------------------- training

  /// Trains as the book's Model.train(X, y, epochs=, batch_size=, print_every=, validation_data=),
  /// printing the book's lines. Returns the run's History.
  History train(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y, std::size_t epochs = 1,
                std::size_t batch_size = 0, std::size_t print_every = 1,
                std::optional<Validation<T>> validation = std::nullopt) {
    TrainOptions<T> options;
    options.epochs = epochs;
    options.batch_size = batch_size;
    options.print_every = print_every;
    options.validation = validation;
    return train(X, y, options);
  }

  /// Trains with every option (callbacks, shuffling, logging) spelled out.
  /// Throws std::logic_error before finalize() or without a loss/optimizer; std::invalid_argument
  /// for inconsistent data (sample counts, widths, empty X, epochs or print_every of 0);
  /// nnfs::NonFiniteError when the loss stops being finite (a diverging run).
  History train(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y, const TrainOptions<T>& options) {
    require_ready("Model::train", true);
    if (owns(X, y) || (options.validation && owns(*options.validation->X, options.validation->y))) {
      // Data in this model's own buffers (a layer's output, an earlier prediction) would change
      // while training reads it: train on a copy.
      const DataCopy data(X, y);
      std::optional<DataCopy> validation;
      TrainOptions<T> copied = options;
      if (options.validation) {
        validation.emplace(*options.validation->X, options.validation->y);
        copied.validation.emplace(validation->X, validation->y());
      }
      return train(data.X, data.y(), copied);
    }
    check_data("Model::train", X, y);
    if (options.epochs == 0) throw std::invalid_argument("Model::train: epochs must be >= 1, got 0");
    if (options.print_every == 0) throw std::invalid_argument("Model::train: print_every must be >= 1, got 0");
    batch_rows("Model::train", options.batch_size, X.rows());  // refused before anything is printed
    if (options.validation) check_data("Model::train (validation data)", *options.validation->X, options.validation->y);

    const Index n = X.rows();
    const Index batch = batch_rows("Model::train", options.batch_size, n);
    const Index steps = (n + batch - 1) / batch;  // the book's n // batch_size, + 1 for a partial batch

    if (accuracy_) init_accuracy(y);

    std::vector<Callback*> callbacks;
    for (Callback* c : options.callbacks)
      if (c != nullptr) callbacks.push_back(c);
    const bool progress_drawn =
        std::any_of(callbacks.begin(), callbacks.end(), [](const Callback* c) { return c->draws_progress(); });
    std::optional<BookLog> book_log;
    if (options.book_log.value_or(!progress_drawn) && options.log != nullptr) {
      book_log.emplace(options.log);
      callbacks.insert(callbacks.begin(), &*book_log);
    }
    const std::size_t stall_window = options.stall_warning.value_or(std::max<std::size_t>(3, options.epochs / 10));
    std::optional<StallWarning> stall_warning;
    if (stall_window > 0) {
      stall_warning.emplace(stall_window, 1e-3, 0.1);
      callbacks.push_back(&*stall_warning);
    }

    TrainingInfo info;
    info.epochs = options.epochs;
    info.steps_per_epoch = static_cast<std::size_t>(steps);
    info.batch_size = options.batch_size == 0 ? 0 : static_cast<std::size_t>(batch);
    info.samples = static_cast<std::size_t>(n);
    info.print_every = options.print_every;
    info.validation = options.validation.has_value();
    info.validate_each_epoch = options.batch_size != 0;
    for (Callback* c : callbacks) {
      c->reset_stop();
      c->on_train_begin(info);
    }

    RandomState& rng = options.rng != nullptr ? *options.rng : default_random_state();
    History history;
    bool stop = false;
    for (std::size_t epoch = 1; epoch <= options.epochs && !stop; ++epoch) {
      for (Callback* c : callbacks) c->on_epoch_begin(epoch);
      if (options.shuffle) {
        order_.resize(n);
        for (Index i = 0; i < n; ++i) order_(i) = static_cast<std::int64_t>(i);
        rng.shuffle(order_);
      }
      loss_->new_pass();
      if (accuracy_) accuracy_->new_pass();
      BatchInfo b;
      b.epoch = epoch;
      b.steps = static_cast<std::size_t>(steps);
      for (Index step = 0; step < steps && !stop; ++step) {
        const Index start = step * batch;
        const Index count = std::min(batch, n - start);
        const BatchTargets<T> targets = batch_targets(y, start, count, options.shuffle);
        b.step = static_cast<std::size_t>(step);
        if (options.shuffle) {
          gather_rows(X, start, count);
          step_on(batch_X_, targets, b);
        } else {
          step_on(X.middleRows(start, count), targets, b);
        }
        if (!std::isfinite(b.loss))
          throw NonFiniteError(fmt::format(
              "Model::train: the loss is {} at epoch {}, step {} (data_loss {}, reg_loss {}): training diverged; "
              "try a lower learning rate",
              b.loss, epoch, step, b.data_loss, b.regularization_loss));
        for (Callback* c : callbacks) c->on_batch_end(b);
        for (Callback* c : callbacks) stop = stop || c->stop_requested();
      }

      History::Record r;
      r.epoch = epoch;
      r.data_loss = loss_->calculate_accumulated();
      r.regularization_loss = regularization_loss();
      r.loss = r.data_loss + r.regularization_loss;
      r.accuracy = accuracy_ ? accuracy_->calculate_accumulated() : std::numeric_limits<double>::quiet_NaN();
      r.learning_rate = optimizer_->current_learning_rate();
      const bool last = epoch == options.epochs || stop;
      if (options.validation && (info.validate_each_epoch || last)) {
        const Evaluation v = evaluate_quietly(*options.validation->X, options.validation->y, options.batch_size);
        r.validation_loss = v.loss;
        r.validation_accuracy = v.accuracy;
      }
      // Full-batch training validates after the last epoch, so the callbacks see that epoch
      // without validation figures and the history's last record with them (chapter 18).
      History::Record seen = r;
      if (!info.validate_each_epoch) {
        seen.validation_loss.reset();
        seen.validation_accuracy.reset();
      }
      history.records.push_back(r);
      for (Callback* c : callbacks) c->on_epoch_end(seen);
      for (Callback* c : callbacks) {
        for (std::string& warning : c->take_warnings()) {
          for (Callback* listener : callbacks) listener->on_warning(warning);
          history.warnings.push_back(std::move(warning));
        }
      }
      for (Callback* c : callbacks) stop = stop || c->stop_requested();
    }
    for (Callback* c : callbacks) c->on_train_end(history);
    history_ = history;
    return history;
  }

  /// One optimizer step on one batch (Keras's train_on_batch), without printing. Returns the
  /// step's figures. Allocates nothing once the batch shape is stable.
  BatchInfo train_on_batch(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y) {
    require_ready("Model::train_on_batch", true);
    if (owns(X, y)) {
      const DataCopy data(X, y);  // the step overwrites what X or y is part of
      return train_on_batch(data.X, data.y());
    }
    check_data("Model::train_on_batch", X, y);
    if (accuracy_) init_accuracy(y);
    loss_->new_pass();
    if (accuracy_) accuracy_->new_pass();
    BatchInfo b;
    b.epoch = 1;
    b.steps = 1;
    step_on(X, batch_targets(y, 0, X.rows(), false), b);
    return b;
  }

  /// The book's Model.evaluate(X_val, y_val, batch_size=): loss (without regularization) and
  /// accuracy accumulated over the batches, printed as "validation, acc: …, loss: …" when `print`
  /// (on `stream`; a null stream prints nothing).
  Evaluation evaluate(const Eigen::Ref<const Matrix<T>>& X, Targets<T> y, std::size_t batch_size = 0,
                      bool print = true, std::FILE* stream = stdout) {
    require_ready("Model::evaluate", false);
    if (owns(X, y)) {
      const DataCopy data(X, y);  // the passes overwrite what X or y is part of
      return evaluate(data.X, data.y(), batch_size, print, stream);
    }
    check_data("Model::evaluate", X, y);
    const Evaluation e = evaluate_quietly(X, y, batch_size);
    if (print && stream != nullptr) fmt::print(stream, "validation, acc: {:.3f}, loss: {:.3f}\n", e.accuracy, e.loss);
    return e;
  }

  /// The outputs of the last layer for every row of X, in evaluation mode (dropout off), computed
  /// batch_size rows at a time (0: all at once): the book's Model.predict. The result is the
  /// model's buffer, valid until the next predict; it is reused, so predicting batches of one
  /// shape allocates nothing.
  const Matrix<T>& predict(const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size = 0) {
    require_layers("Model::predict");
    if (owns(X)) {
      // X is (part of) an earlier result or a layer's buffer, which this call overwrites:
      // predict from a copy (kept, so predicting again from such an X allocates nothing).
      aliased_input_ = X;
      return predict(aliased_input_, batch_size);
    }
    if (X.rows() == 0) throw std::invalid_argument("Model::predict: empty input (shape " + shape_str(X) + ")");
    check_width("Model::predict", X);
    check_finite_inputs("Model::predict", X);
    const Index n = X.rows();
    const Index batch = batch_rows("Model::predict", batch_size, n);
    Index out_width = X.cols();  // through the layers: Dense changes the width, the others keep it
    for (const auto& l : layers_) out_width = l->output_width(out_width);
    if (predictions_out_.rows() != n || predictions_out_.cols() != out_width) predictions_out_.resize(n, out_width);
    for (Index start = 0; start < n; start += batch) {
      const Index count = std::min(batch, n - start);
      predictions_out_.middleRows(start, count) = forward(X.middleRows(start, count), false);
    }
    return predictions_out_;
  }

  /// A copy of the model's layers for predicting on another thread: predict and
  /// predict_classes give the bits this model's give. A Model is one thread's object; give
  /// each thread a predictor of its own (made while no thread changes the model), and the
  /// threads predict at once without sharing anything (predictor.hpp).
  Predictor<T> predictor() const;

  /// Class indices from outputs of a Softmax model (argmax per row, first index on ties), the
  /// book's output_layer_activation.predictions. Throws std::logic_error for other models.
  const Labels& predict_classes(const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size = 0) {
    require_layers("Model::predict_classes");
    if (layers_.back()->kind() != LayerKind::softmax)
      throw std::logic_error(std::string("Model::predict_classes: the last layer is ") +
                             layers_.back()->name() + ", not Softmax");
    argmax_rows(predict(X, batch_size), class_predictions_);
    return class_predictions_;
  }

  /// The forward pass through every layer; the result is the last layer's output buffer.
  const Matrix<T>& forward(const Eigen::Ref<const Matrix<T>>& X, bool training) {
    require_layers("Model::forward");
    const Matrix<T>* out = &layers_.front()->forward(X, training);
    for (std::size_t i = 1; i < layers_.size(); ++i) out = &layers_[i]->forward(*out, training);
    return *out;
  }

  // ------------------------------------------------------------------------- parameters

  /// (weights, biases) of every Dense, in order (the book's get_parameters).
  Parameters get_parameters() const {
    Parameters p;
    for (const auto& l : layers_)
      if (Dense<T>* d = l->dense()) p.emplace_back(d->weights, d->biases);
    return p;
  }

  /// Replaces every Dense's parameters (the book's set_parameters). Checks everything before
  /// changing anything: the count and every shape must match (std::invalid_argument naming the
  /// layer and both shapes), and every value must be finite.
  void set_parameters(const Parameters& p) {
    std::vector<Dense<T>*> dense;
    for (const auto& l : layers_)
      if (Dense<T>* d = l->dense()) dense.push_back(d);
    if (p.size() != dense.size())
      throw std::invalid_argument(fmt::format("Model::set_parameters: {} (weights, biases) pairs for {} Dense layers",
                                              p.size(), dense.size()));
    for (std::size_t i = 0; i < p.size(); ++i) {
      const auto& [w, b] = p[i];
      if (w.rows() != dense[i]->weights.rows() || w.cols() != dense[i]->weights.cols() ||
          b.rows() != dense[i]->biases.rows() || b.cols() != dense[i]->biases.cols())
        throw std::invalid_argument(fmt::format(
            "Model::set_parameters: Dense layer {} has weights {} and biases {}, given weights {} and biases {}", i,
            shape_str(dense[i]->weights), shape_str(dense[i]->biases), shape_str(w), shape_str(b)));
      if (!w.allFinite() || !b.allFinite())
        throw std::invalid_argument(fmt::format("Model::set_parameters: Dense layer {} given non-finite values", i));
    }
    for (std::size_t i = 0; i < p.size(); ++i) {
      dense[i]->weights = p[i].first;
      dense[i]->biases = p[i].second;
    }
  }

  /// Number of trainable values (Σ weights + biases, and the parameters of layers of your own).
  Index parameter_count() const {
    Index count = 0;
    for (const auto& l : layers_) count += l->parameter_count();
    return count;
  }

  /// A table of the layers, their output shapes and parameter counts:
  ///     #  layer                      output     params
  ///     0  Dense(2, 512, weight L2 0.0005, bias L2 0.0005)   (N, 512)   1536
  ///     ...
  ///     total parameters: 3075
  ///     loss: CategoricalCrossentropy (with Softmax: combined backward), optimizer: Adam(...), accuracy: ...
  std::string summary() const {
    std::vector<std::string> names;
    std::vector<std::string> shapes;
    std::vector<Index> params;
    Index width = -1;
    for (const auto& l : layers_) {
      names.push_back(l->describe());
      try {
        width = l->output_width(width);
      } catch (const std::invalid_argument&) {
        width = -2;  // inconsistent: shown as "?" (finalize() says why)
      }
      shapes.push_back(width >= 0 ? fmt::format("(N, {})", width) : std::string("(N, ?)"));
      params.push_back(l->parameter_count());
    }
    std::size_t name_w = 5;
    std::size_t shape_w = 6;
    for (std::size_t i = 0; i < names.size(); ++i) {
      name_w = std::max(name_w, names[i].size());
      shape_w = std::max(shape_w, shapes[i].size());
    }
    std::string s = fmt::format("{:>3}  {:<{}}  {:<{}}  {:>10}\n", "#", "layer", name_w, "output", shape_w, "params");
    for (std::size_t i = 0; i < names.size(); ++i)
      s += fmt::format("{:>3}  {:<{}}  {:<{}}  {:>10}\n", i, names[i], name_w, shapes[i], shape_w, params[i]);
    s += fmt::format("total parameters: {}\n", parameter_count());
    s += fmt::format("loss: {}{}, optimizer: {}, accuracy: {}\n", loss_ ? loss_->name() : "(none)",
                     combined_ && finalized_ ? " (combined with Softmax in backward)" : "", optimizer_description(),
                     accuracy_ ? to_string(accuracy_->kind()) : "(none)");
    return s;
  }

  // ------------------------------------------------------------------------- files

  /// Writes the whole model — layers, hyper-parameters, parameters, loss, accuracy, optimizer
  /// settings and, when asked, the optimizer's state — to `path` (format: nnfs/model_file.hpp),
  /// through a temporary file renamed over `path`: a failed save leaves an existing file as it
  /// was. Throws std::runtime_error when the file cannot be written, std::logic_error for a
  /// model without layers, std::invalid_argument for one that could not be loaded back.
  void save(const std::filesystem::path& path, bool include_optimizer_state = false) const {
    detail::model_save<T>(*this, path, include_optimizer_state);
  }

  /// The model saved to `path`, finalized: predict and evaluate give what the saved model gave.
  /// Throws std::runtime_error naming the file and what is wrong (not a model file, a newer
  /// version, the other scalar type, a bad header line, truncation, a CRC mismatch, ...).
  static Model load(const std::filesystem::path& path) { return detail::model_load<T>(path); }

  /// The bytes save() writes.
  std::string to_bytes(bool include_optimizer_state = false) const {
    return detail::model_to_bytes<T>(*this, include_optimizer_state);
  }

  /// A model from the bytes of a model file; `what` names them in error messages.
  static Model from_bytes(std::string_view bytes, std::string_view what = "model bytes") {
    return detail::model_from_bytes<T>(bytes, what);
  }

  // ------------------------------------------------------------------------- access

  std::size_t size() const { return layers_.size(); }
  Layer<T>& layer(std::size_t i) { return *layers_.at(i); }
  const Layer<T>& layer(std::size_t i) const { return *layers_.at(i); }

  /// Layer i as its concrete type, e.g. model.layer_as<nnfs::Dense<float>>(0).weights.
  /// Throws std::out_of_range for a bad index, std::invalid_argument for the wrong type.
  template <class L>
  L& layer_as(std::size_t i) {
    if (i >= layers_.size())
      throw std::out_of_range(fmt::format("Model::layer_as: index {} of a model with {} layers", i, layers_.size()));
    auto* l = dynamic_cast<LayerOf<L>*>(layers_[i].get());
    if (l == nullptr)
      throw std::invalid_argument(fmt::format("Model::layer_as: layer {} is {}", i, layers_[i]->describe()));
    return l->layer;
  }

  /// The width of X the model takes (the first Dense's inputs), −1 when it has no Dense.
  Index input_width() const { return first_dense_inputs(); }
  /// The width of the last layer's output, −1 when unknown.
  Index output_width() const {
    Index width = -1;
    for (const auto& l : layers_) width = l->output_width(width);
    return width;
  }

  bool has_loss() const { return loss_ != nullptr; }
  bool has_optimizer() const { return optimizer_ != nullptr; }
  bool has_accuracy() const { return accuracy_ != nullptr; }
  detail::ModelLoss<T>* loss() { return loss_.get(); }
  detail::ModelOptimizer<T>* optimizer() { return optimizer_.get(); }
  detail::ModelAccuracy<T>* accuracy() { return accuracy_.get(); }
  const detail::ModelLoss<T>* loss() const { return loss_.get(); }
  const detail::ModelOptimizer<T>* optimizer() const { return optimizer_.get(); }
  const detail::ModelAccuracy<T>* accuracy() const { return accuracy_.get(); }

  /// The History of the last train() run.
  const History& history() const { return history_; }

  /// Σ over the layers with parameters of their regularization penalties (the book's
  /// loss.regularization_loss()).
  double regularization_loss() {
    double total = 0.0;
    for (Layer<T>* l : trainable_) total += l->regularization_loss();
    return total;
  }

 private:
  // ------------------------------------------------------------------------- set()

  template <class P>
  void set_part(P part) {
    if constexpr (detail::is_model_loss<P>::value) {
      static_assert(std::is_same_v<typename detail::loss_traits<P>::scalar, T>,
                    "Model::set: the loss's scalar type differs from the model's");
      loss_ = std::make_unique<detail::LossOf<P>>(std::move(part));
    } else if constexpr (detail::is_model_optimizer<P>::value) {
      optimizer_ = std::make_unique<detail::OptimizerOf<T, P>>(std::move(part));
    } else if constexpr (detail::is_model_accuracy<P>::value) {
      accuracy_ = std::make_unique<detail::AccuracyAdapter<T, P>>(std::move(part));
    } else {
      static_assert(detail::is_model_loss<P>::value, "Model::set takes losses, optimizers and accuracies");
    }
  }

  std::string optimizer_description() const {
    if (!optimizer_) return "(none)";
    std::string s = fmt::format("{}(learning_rate {:g}, decay {:g}", to_string(optimizer_->kind()),
                                optimizer_->learning_rate(), optimizer_->decay());
    static const char* const names[4][3] = {
        {"momentum", "", ""}, {"epsilon", "", ""}, {"epsilon", "rho", ""}, {"epsilon", "beta_1", "beta_2"}};
    const auto row = static_cast<std::size_t>(optimizer_->kind());
    const std::vector<double> values = optimizer_->settings();
    for (std::size_t i = 0; i < values.size() && i < 3; ++i) s += fmt::format(", {} {:g}", names[row][i], values[i]);
    return s + ")";
  }

  // ------------------------------------------------------------------------- checks

  void require_layers(const char* where) const {
    if (layers_.empty()) throw std::logic_error(std::string(where) + ": the model has no layers");
  }

  void require_ready(const char* where, bool training) const {
    require_layers(where);
    if (!finalized_) throw std::logic_error(std::string(where) + ": call finalize() after add() and set()");
    if (!loss_) throw std::logic_error(std::string(where) + ": no loss set (model.set(loss, ...))");
    if (training && !optimizer_) throw std::logic_error(std::string(where) + ": no optimizer set (model.set(..., optimizer, ...))");
  }

  Index first_dense_inputs() const {
    for (const auto& l : layers_)
      if (Dense<T>* d = l->dense()) return d->n_inputs();
    return -1;
  }

  void check_width(const char* where, const Eigen::Ref<const Matrix<T>>& X) const {
    const Index want = first_dense_inputs();
    if (want >= 0 && X.cols() != want)
      throw std::invalid_argument(fmt::format("{}: X has shape {} but the model takes {} inputs per sample", where,
                                              shape_str(X), want));
  }

  void check_data(const char* where, const Eigen::Ref<const Matrix<T>>& X, const Targets<T>& y) const {
    if (X.rows() == 0) throw std::invalid_argument(fmt::format("{}: empty X (shape {})", where, shape_str(X)));
    check_width(where, X);
    if (y.samples() != X.rows())
      throw std::invalid_argument(fmt::format("{}: X has {} samples (shape {}) but the targets have {} ({})", where,
                                              X.rows(), shape_str(X), y.samples(), y.shape()));
    if (y.sparse() && loss_ && loss_->kind() != LossKind::categorical_crossentropy) {
      // The book reshapes such labels into one column (y.reshape(-1, 1)); so do we (below).
      const Index out = output_width();
      if (out >= 0 && out != 1)
        throw std::invalid_argument(fmt::format(
            "{}: {} needs a target matrix matching the outputs (N, {}); labels can only stand for one output column",
            where, loss_->name(), out));
    }
    if (!y.sparse()) {
      const Index bad = detail::first_non_finite_row<T>(y.matrix());
      if (bad >= 0)
        throw std::invalid_argument(fmt::format("{}: the target matrix {} holds NaN or infinite values (sample {})",
                                                where, shape_str(y.matrix()), bad));
    }
    if (loss_ && loss_->kind() == LossKind::categorical_crossentropy) check_classes(where, y);
    check_finite_inputs(where, X);
  }

  // Class targets are checked over the whole data set before any batch is formed, so that an
  // error names the sample in the user's data: the loss sees a mini-batch, possibly shuffled,
  // and could only name a row of that batch.
  void check_classes(const char* where, const Targets<T>& y) const {
    const Index classes = output_width();
    if (y.sparse()) {
      const Labels& labels = y.labels();
      for (Index i = 0; i < labels.size(); ++i)
        if (labels(i) < 0 || (classes >= 0 && labels(i) >= classes))
          throw std::out_of_range(fmt::format(
              "{}: label {} of sample {} is outside [0, {}) (CategoricalCrossentropy takes the index of one of the "
              "model's {} outputs)",
              where, labels(i), i, classes, classes));
      return;
    }
    const Matrix<T>& t = y.matrix();
    for (Index i = 0; i < t.rows(); ++i) {
      Index ones = 0;
      for (Index j = 0; j < t.cols(); ++j) {
        if (t(i, j) == T(1)) {
          ++ones;
        } else if (t(i, j) != T(0)) {
          throw std::invalid_argument(fmt::format(
              "{}: the target row of sample {} is not one-hot (entry {} is {}); CategoricalCrossentropy takes rows of "
              "zeros with a single 1",
              where, i, j, static_cast<double>(t(i, j))));
        }
      }
      if (ones != 1)
        throw std::invalid_argument(fmt::format(
            "{}: the target row of sample {} is not one-hot ({} entries equal 1); CategoricalCrossentropy takes rows of "
            "zeros with a single 1",
            where, i, ones));
    }
  }

  // The one contract for inputs, in train, evaluate and predict alike: every value finite.
  static void check_finite_inputs(const char* where, const Eigen::Ref<const Matrix<T>>& X) {
    const Index bad = detail::first_non_finite_row<T>(X);
    if (bad >= 0)
      throw std::invalid_argument(
          fmt::format("{}: X {} holds NaN or infinite values (sample {})", where, shape_str(X), bad));
  }

  // Rows per batch for a batch size the user gave (0: all n rows at once). A size_t that does
  // not fit the signed index (a negative number converted) is refused, not wrapped.
  static Index batch_rows(const char* where, std::size_t batch_size, Index n) {
    if (batch_size > static_cast<std::size_t>(std::numeric_limits<Index>::max()))
      throw std::invalid_argument(fmt::format(
          "{}: batch_size {} is too large (a negative number converted to an unsigned size?); give 0 for the whole "
          "set or a positive count",
          where, batch_size));
    return batch_size == 0 ? n : std::min<Index>(static_cast<Index>(batch_size), n);
  }

  void init_accuracy(const Targets<T>& y) {
    if (accuracy_->kind() != AccuracyKind::regression) return;
    if (y.sparse()) {
      labels_as_matrix(y.labels(), 0, y.labels().size(), all_targets_);
      accuracy_->init(all_targets_);
    } else {
      accuracy_->init(y.matrix());
    }
  }

  // ------------------------------------------------------------------------- batches

  static void labels_as_matrix(const Labels& labels, Index start, Index count, Matrix<T>& out) {
    if (out.rows() != count || out.cols() != 1) out.resize(count, 1);
    for (Index i = 0; i < count; ++i) out(i, 0) = static_cast<T>(labels(start + i));
  }

  void gather_rows(const Eigen::Ref<const Matrix<T>>& X, Index start, Index count) {
    if (batch_X_.rows() != count || batch_X_.cols() != X.cols()) batch_X_.resize(count, X.cols());
    for (Index i = 0; i < count; ++i) batch_X_.row(i) = X.row(static_cast<Index>(order_(start + i)));
  }

  /// The targets of rows [start, start + count) (of the shuffled order when shuffling), in the
  /// form the loss takes: labels for categorical cross-entropy, a matrix otherwise.
  BatchTargets<T> batch_targets(const Targets<T>& y, Index start, Index count, bool shuffled) {
    BatchTargets<T> t;
    const auto source = [&](Index i) { return shuffled ? static_cast<Index>(order_(start + i)) : start + i; };
    if (y.sparse()) {
      const bool keep_labels = loss_->kind() == LossKind::categorical_crossentropy;
      if (keep_labels) {
        if (batch_labels_.size() != count) batch_labels_.resize(count);
        for (Index i = 0; i < count; ++i) batch_labels_(i) = y.labels()(source(i));
        t.labels = &batch_labels_;
        return t;
      }
      if (batch_targets_.rows() != count || batch_targets_.cols() != 1) batch_targets_.resize(count, 1);
      for (Index i = 0; i < count; ++i) batch_targets_(i, 0) = static_cast<T>(y.labels()(source(i)));
      t.data = batch_targets_.data();
      t.rows = count;
      t.cols = 1;
      return t;
    }
    const Matrix<T>& m = y.matrix();
    if (shuffled) {
      if (batch_targets_.rows() != count || batch_targets_.cols() != m.cols()) batch_targets_.resize(count, m.cols());
      for (Index i = 0; i < count; ++i) batch_targets_.row(i) = m.row(source(i));
      t.data = batch_targets_.data();
    } else {
      t.data = m.data() + start * m.cols();
    }
    t.rows = count;
    t.cols = m.cols();
    return t;
  }

  /// One training step on one batch; fills b's figures.
  void step_on(const Eigen::Ref<const Matrix<T>>& Xb, const BatchTargets<T>& yb, BatchInfo& b) {
    const Matrix<T>& output = forward(Xb, true);
    const T data_loss = loss_->calculate(output, yb);
    b.data_loss = static_cast<double>(data_loss);
    b.regularization_loss = regularization_loss();
    b.loss = b.data_loss + b.regularization_loss;
    b.accuracy = accuracy_ ? batch_accuracy(output, yb) : std::numeric_limits<double>::quiet_NaN();
    backward(output, yb);
    optimizer_->check_gradients(parameters_);
    optimizer_->pre_update_params();
    for (const Parameter<T>& p : parameters_) optimizer_->update(p);
    optimizer_->post_update_params();
    b.learning_rate = optimizer_->current_learning_rate();
  }

  double batch_accuracy(const Matrix<T>& output, const BatchTargets<T>& yb) {
    switch (layers_.back()->kind()) {
      case LayerKind::softmax:
        argmax_rows(output, class_predictions_);
        return accuracy_->calculate(class_predictions_, yb);
      case LayerKind::sigmoid:
        if (value_predictions_.rows() != output.rows() || value_predictions_.cols() != output.cols())
          value_predictions_.resize(output.rows(), output.cols());
        value_predictions_.array() = (output.array() > T(0.5)).template cast<T>();
        return accuracy_->calculate(value_predictions_, yb);
      default:
        return accuracy_->calculate(output, yb);
    }
  }

  void backward(const Matrix<T>& output, const BatchTargets<T>& yb) {
    std::size_t i = layers_.size();
    const Matrix<T>* d = nullptr;
    if (combined_) {
      // ∂L/∂(softmax input) = (ŷ − onehot(y)) / N: the Softmax layer's own backward is skipped.
      d = yb.sparse() ? &combined_backward_.backward(output, *yb.labels)
                      : &combined_backward_.backward(output, yb.matrix());
      --i;
    } else {
      d = &loss_->backward(output, yb);
    }
    // Layers before the first one with parameters need no gradient, and that one needs only
    // its parameters' (not ∂L/∂inputs: the data are not trained).
    std::size_t first = 0;
    while (first < layers_.size() && !layers_[first]->has_parameters()) ++first;
    if (first >= i) return;
    while (i-- > first + 1) d = &layers_[i]->backward(*d);
    layers_[first]->backward_parameters(*d);
  }

  Evaluation evaluate_quietly(const Eigen::Ref<const Matrix<T>>& X, const Targets<T>& y, std::size_t batch_size) {
    const Index n = X.rows();
    const Index batch = batch_rows("Model::evaluate", batch_size, n);
    loss_->new_pass();
    if (accuracy_) accuracy_->new_pass();
    for (Index start = 0; start < n; start += batch) {
      const Index count = std::min(batch, n - start);
      const BatchTargets<T> yb = batch_targets(y, start, count, false);
      const Matrix<T>& output = forward(X.middleRows(start, count), false);
      loss_->calculate(output, yb);
      if (accuracy_) batch_accuracy(output, yb);
    }
    Evaluation e;
    e.loss = loss_->calculate_accumulated();
    e.accuracy = accuracy_ ? accuracy_->calculate_accumulated() : std::numeric_limits<double>::quiet_NaN();
    return e;
  }

  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<Layer<T>*> trainable_;       // the layers with parameters, in order (from finalize)
  std::vector<Parameter<T>> parameters_;  // their parameters, as the optimizer updates them
  std::unique_ptr<detail::ModelLoss<T>> loss_;
  std::unique_ptr<detail::ModelOptimizer<T>> optimizer_;
  std::unique_ptr<detail::ModelAccuracy<T>> accuracy_;
  /// Whether X is (part of) a buffer that this model writes while it trains, evaluates or
  /// predicts: a layer's output or dinputs, or one of the model's own.
  bool owns(const Eigen::Ref<const Matrix<T>>& X) const {
    for (const auto& l : layers_)
      if (shares_memory(X, l->output()) || shares_memory(X, l->dinputs())) return true;
    for (const Matrix<T>* m : {&batch_X_, &batch_targets_, &all_targets_, &value_predictions_, &predictions_out_})
      if (shares_memory(X, *m)) return true;
    return false;
  }
  bool owns(const Eigen::Ref<const Matrix<T>>& X, const Targets<T>& y) const {
    if (owns(X)) return true;
    if (y.sparse()) return &y.labels() == &class_predictions_ || &y.labels() == &batch_labels_;
    return owns(y.matrix());
  }

  /// A copy of data that is (part of) the model's own buffers.
  struct DataCopy {
    DataCopy(const Eigen::Ref<const Matrix<T>>& X_, const Targets<T>& y_) : X(X_), sparse(y_.sparse()) {
      if (sparse)
        labels = y_.labels();
      else
        matrix = y_.matrix();
    }
    Targets<T> y() const { return sparse ? Targets<T>(labels) : Targets<T>(matrix); }
    Matrix<T> X;
    bool sparse;
    Labels labels;
    Matrix<T> matrix;
  };

  static bool shares_memory(const Eigen::Ref<const Matrix<T>>& X, const Matrix<T>& m) {
    if (X.size() == 0 || m.size() == 0) return false;
    const std::less<const T*> before;
    const T* first = X.data();
    const T* last = first + (X.rows() - 1) * X.outerStride() + X.cols();
    return before(first, m.data() + m.size()) && before(m.data(), last);
  }

  // A moved-from model keeps no layers, loss or optimizer, so it must not say it is finalized.
  detail::ResetOnMove finalized_;
  detail::ResetOnMove combined_;
  History history_;

  // Buffers reused from step to step.
  SoftmaxCategoricalCrossentropy<T> combined_backward_;
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> order_;
  Matrix<T> batch_X_;
  Labels batch_labels_;
  Matrix<T> batch_targets_;
  Matrix<T> all_targets_;
  Labels class_predictions_;
  Matrix<T> value_predictions_;
  Matrix<T> predictions_out_;
  Matrix<T> aliased_input_;  // predict() of (part of) its own last result
};

}  // namespace nnfs

// Model::save/load and friends, and Model::predictor (they need Model complete).
#include "nnfs/io/model_file.hpp"  // IWYU pragma: export
#include "nnfs/model/predictor.hpp"   // IWYU pragma: export

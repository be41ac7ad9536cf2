// nnfs/model/training.hpp — Model's training loop, train_on_batch and evaluate (nnfs/model/model.hpp
// has the model and its documentation). One training step, for a batch X_b (B×in) with targets y_b:
//     output      = layers.forward(X_b, training = true)                       B×out
//     data_loss   = mean_i L_i(output, y_b);  regularization_loss = Σ_layers penalty
//     predictions = argmax(output) (Softmax) | output > 0.5 (Sigmoid) | output
//     backward: softmax+CCE → (output − onehot(y_b)) / B straight into the last Dense;
//               otherwise loss.backward, then each layer's backward in reverse order, down
//               to the first layer with parameters, which computes only their gradients
//     optimizer: pre_update_params, update(each parameter of each layer), post_update_params
#pragma once

#include "nnfs/layers/layer.hpp"
#include "nnfs/layers/sigmoid.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/model/callbacks.hpp"
#include "nnfs/model/checks.hpp"
#include "nnfs/model/fwd.hpp"
#include "nnfs/model/history.hpp"
#include "nnfs/model/options.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/ops/finite.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

/// Model's training and evaluation (a friend of Model<T>).
template <class T>
struct ModelTraining {
  using Checks = ModelChecks<T>;

  static History train(Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, Targets<T> y,
                       const TrainOptions<T>& options) {
    Checks::require_ready(model, "Model::train", true);
    if (Checks::owns(model, X, y) || (options.validation && Checks::owns(model, *options.validation->X, options.validation->y))) {
      // Data in this model's own buffers (a layer's output, an earlier prediction) would change
      // while training reads it: train on a copy.
      const typename Checks::DataCopy data(X, y);
      std::optional<typename Checks::DataCopy> validation;
      TrainOptions<T> copied = options;
      if (options.validation) {
        validation.emplace(*options.validation->X, options.validation->y);
        copied.validation.emplace(validation->X, validation->y());
      }
      return train(model, data.X, data.y(), copied);
    }
    Checks::check_data(model, "Model::train", X, y);
    if (options.epochs == 0) throw std::invalid_argument("Model::train: epochs must be >= 1, got 0");
    if (options.print_every == 0) throw std::invalid_argument("Model::train: print_every must be >= 1, got 0");
    Checks::batch_rows("Model::train", options.batch_size, X.rows());  // refused before anything is printed
    if (options.validation) Checks::check_data(model, "Model::train (validation data)", *options.validation->X, options.validation->y);

    const Index n = X.rows();
    const Index batch = Checks::batch_rows("Model::train", options.batch_size, n);
    const Index steps = (n + batch - 1) / batch;  // the book's n // batch_size, + 1 for a partial batch

    if (model.accuracy_) init_accuracy(model, y);

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
        model.order_.resize(n);
        for (Index i = 0; i < n; ++i) model.order_(i) = static_cast<std::int64_t>(i);
        rng.shuffle(model.order_);
      }
      model.loss_->new_pass();
      if (model.accuracy_) model.accuracy_->new_pass();
      BatchInfo b;
      b.epoch = epoch;
      b.steps = static_cast<std::size_t>(steps);
      for (Index step = 0; step < steps && !stop; ++step) {
        const Index start = step * batch;
        const Index count = std::min(batch, n - start);
        const BatchTargets<T> targets = batch_targets(model, y, start, count, options.shuffle);
        b.step = static_cast<std::size_t>(step);
        if (options.shuffle) {
          gather_rows(model, X, start, count);
          step_on(model, model.batch_X_, targets, b);
        } else {
          step_on(model, X.middleRows(start, count), targets, b);
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
      r.data_loss = model.loss_->calculate_accumulated();
      r.regularization_loss = model.regularization_loss();
      r.loss = r.data_loss + r.regularization_loss;
      r.accuracy = model.accuracy_ ? model.accuracy_->calculate_accumulated() : std::numeric_limits<double>::quiet_NaN();
      r.learning_rate = model.optimizer_->current_learning_rate();
      const bool last = epoch == options.epochs || stop;
      if (options.validation && (info.validate_each_epoch || last)) {
        const Evaluation v = evaluate_quietly(model, *options.validation->X, options.validation->y, options.batch_size);
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
    model.history_ = history;
    return history;
  }

  static BatchInfo train_on_batch(Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, Targets<T> y) {
    Checks::require_ready(model, "Model::train_on_batch", true);
    if (Checks::owns(model, X, y)) {
      const typename Checks::DataCopy data(X, y);  // the step overwrites what X or y is part of
      return train_on_batch(model, data.X, data.y());
    }
    Checks::check_data(model, "Model::train_on_batch", X, y);
    if (model.accuracy_) init_accuracy(model, y);
    model.loss_->new_pass();
    if (model.accuracy_) model.accuracy_->new_pass();
    BatchInfo b;
    b.epoch = 1;
    b.steps = 1;
    step_on(model, X, batch_targets(model, y, 0, X.rows(), false), b);
    return b;
  }

  static Evaluation evaluate(Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, Targets<T> y,
                             std::size_t batch_size, bool print, std::FILE* stream) {
    Checks::require_ready(model, "Model::evaluate", false);
    if (Checks::owns(model, X, y)) {
      const typename Checks::DataCopy data(X, y);  // the passes overwrite what X or y is part of
      return evaluate(model, data.X, data.y(), batch_size, print, stream);
    }
    Checks::check_data(model, "Model::evaluate", X, y);
    const Evaluation e = evaluate_quietly(model, X, y, batch_size);
    if (print && stream != nullptr) fmt::print(stream, "validation, acc: {:.3f}, loss: {:.3f}\n", e.accuracy, e.loss);
    return e;
  }

  static const Matrix<T>& predict(Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, std::size_t batch_size) {
    Checks::require_layers(model, "Model::predict");
    if (Checks::owns(model, X)) {
      // X is (part of) an earlier result or a layer's buffer, which this call overwrites:
      // predict from a copy (kept, so predicting again from such an X allocates nothing).
      model.aliased_input_ = X;
      return predict(model, model.aliased_input_, batch_size);
    }
    if (X.rows() == 0) throw std::invalid_argument("Model::predict: empty input (shape " + shape_str(X) + ")");
    Checks::check_width(model, "Model::predict", X);
    Checks::check_finite_inputs("Model::predict", X);
    const Index n = X.rows();
    const Index batch = Checks::batch_rows("Model::predict", batch_size, n);
    Matrix<T>& out = model.predictions_out_;
    const Index out_width = model.output_width_for(X.cols());
    if (out.rows() != n || out.cols() != out_width) out.resize(n, out_width);
    for (Index start = 0; start < n; start += batch) {
      const Index count = std::min(batch, n - start);
      out.middleRows(start, count) = model.forward(X.middleRows(start, count), false);
    }
    return out;
  }

  static void init_accuracy(Model<T>& model, const Targets<T>& y) {
    if (!model.accuracy_->learns_from_targets()) return;
    if (y.sparse()) {
      labels_as_matrix(y.labels(), 0, y.labels().size(), model.all_targets_);
      model.accuracy_->init(model.all_targets_);
    } else {
      model.accuracy_->init(y.matrix());
    }
  }

  // ------------------------------------------------------------------------- batches

  static void labels_as_matrix(const Labels& labels, Index start, Index count, Matrix<T>& out) {
    if (out.rows() != count || out.cols() != 1) out.resize(count, 1);
    for (Index i = 0; i < count; ++i) out(i, 0) = static_cast<T>(labels(start + i));
  }

  static void gather_rows(Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, Index start, Index count) {
    if (model.batch_X_.rows() != count || model.batch_X_.cols() != X.cols()) model.batch_X_.resize(count, X.cols());
    for (Index i = 0; i < count; ++i) model.batch_X_.row(i) = X.row(static_cast<Index>(model.order_(start + i)));
  }

  /// The targets of rows [start, start + count) (of the shuffled order when shuffling), in the
  /// form the loss takes: labels for categorical cross-entropy, a matrix otherwise.
  static BatchTargets<T> batch_targets(Model<T>& model, const Targets<T>& y, Index start, Index count, bool shuffled) {
    BatchTargets<T> t;
    const auto source = [&](Index i) { return shuffled ? static_cast<Index>(model.order_(start + i)) : start + i; };
    if (y.sparse()) {
      const bool keep_labels = model.loss_->takes_labels();
      if (keep_labels) {
        if (model.batch_labels_.size() != count) model.batch_labels_.resize(count);
        for (Index i = 0; i < count; ++i) model.batch_labels_(i) = y.labels()(source(i));
        t.labels = &model.batch_labels_;
        return t;
      }
      if (model.batch_targets_.rows() != count || model.batch_targets_.cols() != 1) model.batch_targets_.resize(count, 1);
      for (Index i = 0; i < count; ++i) model.batch_targets_(i, 0) = static_cast<T>(y.labels()(source(i)));
      t.data = model.batch_targets_.data();
      t.rows = count;
      t.cols = 1;
      return t;
    }
    const Matrix<T>& m = y.matrix();
    if (shuffled) {
      if (model.batch_targets_.rows() != count || model.batch_targets_.cols() != m.cols()) model.batch_targets_.resize(count, m.cols());
      for (Index i = 0; i < count; ++i) model.batch_targets_.row(i) = m.row(source(i));
      t.data = model.batch_targets_.data();
    } else {
      t.data = m.data() + start * m.cols();
    }
    t.rows = count;
    t.cols = m.cols();
    return t;
  }

  /// One training step on one batch; fills b's figures.
  static void step_on(Model<T>& model, const Eigen::Ref<const Matrix<T>>& Xb, const BatchTargets<T>& yb, BatchInfo& b) {
    const Matrix<T>& output = model.forward(Xb, true);
    const T data_loss = model.loss_->calculate(output, yb);
    b.data_loss = static_cast<double>(data_loss);
    b.regularization_loss = model.regularization_loss();
    b.loss = b.data_loss + b.regularization_loss;
    b.accuracy = model.accuracy_ ? batch_accuracy(model, output, yb) : std::numeric_limits<double>::quiet_NaN();
    backward(model, output, yb);
    model.optimizer_->check_gradients(model.parameters_);
    model.optimizer_->pre_update_params();
    for (const Parameter<T>& p : model.parameters_) model.optimizer_->update(p);
    model.optimizer_->post_update_params();
    b.learning_rate = model.optimizer_->current_learning_rate();
  }

  static double batch_accuracy(Model<T>& model, const Matrix<T>& output, const BatchTargets<T>& yb) {
    // The book's output_layer_activation.predictions: argmax after Softmax, output > 0.5
    // after Sigmoid, the outputs themselves otherwise.
    const Layer<T>& last = *model.layers_.back();
    if (last.template is<Softmax<T>>()) {
      argmax_rows(output, model.class_predictions_);
      return model.accuracy_->calculate(model.class_predictions_, yb);
    }
    if (last.template is<Sigmoid<T>>()) {
      if (model.value_predictions_.rows() != output.rows() || model.value_predictions_.cols() != output.cols())
        model.value_predictions_.resize(output.rows(), output.cols());
      model.value_predictions_.array() = (output.array() > T(0.5)).template cast<T>();
      return model.accuracy_->calculate(model.value_predictions_, yb);
    }
    return model.accuracy_->calculate(output, yb);
  }

  static void backward(Model<T>& model, const Matrix<T>& output, const BatchTargets<T>& yb) {
    std::size_t i = model.layers_.size();
    const Matrix<T>* d = nullptr;
    if (model.combined_) {
      // ∂L/∂(softmax input) = (ŷ − onehot(y)) / N: the Softmax layer's own backward is skipped.
      d = yb.sparse() ? &model.combined_backward_.backward(output, *yb.labels)
                      : &model.combined_backward_.backward(output, yb.matrix());
      --i;
    } else {
      d = &model.loss_->backward(output, yb);
    }
    // Layers before the first one with parameters need no gradient, and that one needs only
    // its parameters' (not ∂L/∂inputs: the data are not trained).
    std::size_t first = 0;
    while (first < model.layers_.size() && !model.layers_[first]->has_parameters()) ++first;
    if (first >= i) return;
    while (i-- > first + 1) d = &model.layers_[i]->backward(*d);
    model.layers_[first]->backward_parameters(*d);
  }

  static Evaluation evaluate_quietly(Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, const Targets<T>& y, std::size_t batch_size) {
    const Index n = X.rows();
    const Index batch = Checks::batch_rows("Model::evaluate", batch_size, n);
    model.loss_->new_pass();
    if (model.accuracy_) model.accuracy_->new_pass();
    for (Index start = 0; start < n; start += batch) {
      const Index count = std::min(batch, n - start);
      const BatchTargets<T> yb = batch_targets(model, y, start, count, false);
      const Matrix<T>& output = model.forward(X.middleRows(start, count), false);
      model.loss_->calculate(output, yb);
      if (model.accuracy_) batch_accuracy(model, output, yb);
    }
    Evaluation e;
    e.loss = model.loss_->calculate_accumulated();
    e.accuracy = model.accuracy_ ? model.accuracy_->calculate_accumulated() : std::numeric_limits<double>::quiet_NaN();
    return e;
  }
};

}  // namespace detail
}  // namespace nnfs

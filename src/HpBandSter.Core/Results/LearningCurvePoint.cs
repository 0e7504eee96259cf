namespace HpBandSter.Results;

/// <summary>One point of a learning curve: by default (budget, loss).</summary>
/// <param name="X">The abscissa (the budget for the default extractor).</param>
/// <param name="Y">The ordinate (the loss for the default extractor).</param>
public readonly record struct LearningCurvePoint(double X, double Y);

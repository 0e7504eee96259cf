namespace HpBandSter.Spaces;

/// <summary>How a condition, forbidden clause or forbidden relation compares two values.</summary>
public enum ComparisonOperator
{
    /// <summary>==</summary>
    Equal,

    /// <summary>!=</summary>
    NotEqual,

    /// <summary>&lt;</summary>
    LessThan,

    /// <summary>&lt;=</summary>
    LessThanOrEqual,

    /// <summary>&gt;</summary>
    GreaterThan,

    /// <summary>&gt;=</summary>
    GreaterThanOrEqual,
}

/// <summary>Helpers for <see cref="ComparisonOperator"/>.</summary>
internal static class ComparisonOperatorExtensions
{
    /// <summary>The operator as ConfigSpace prints it.</summary>
    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown comparison operator."),
    };

    /// <summary>Compares two numbers; false whenever either is NaN (an inactive hyperparameter).</summary>
    public static bool Holds(this ComparisonOperator op, double left, double right) => op switch
    {
        ComparisonOperator.Equal => left == right,
        ComparisonOperator.NotEqual => left != right && !double.IsNaN(left) && !double.IsNaN(right),
        ComparisonOperator.LessThan => left < right,
        ComparisonOperator.LessThanOrEqual => left <= right,
        ComparisonOperator.GreaterThan => left > right,
        ComparisonOperator.GreaterThanOrEqual => left >= right,
        _ => false,
    };

    /// <summary>Whether the comparison holds given the sign of <c>Compare(left, right)</c>.</summary>
    public static bool HoldsForSign(this ComparisonOperator op, int sign) => op switch
    {
        ComparisonOperator.Equal => sign == 0,
        ComparisonOperator.NotEqual => sign != 0,
        ComparisonOperator.LessThan => sign < 0,
        ComparisonOperator.LessThanOrEqual => sign <= 0,
        ComparisonOperator.GreaterThan => sign > 0,
        ComparisonOperator.GreaterThanOrEqual => sign >= 0,
        _ => false,
    };
}

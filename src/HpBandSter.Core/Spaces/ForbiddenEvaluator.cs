namespace HpBandSter.Spaces;

/// <summary>
/// A forbidden clause bound to vector positions. It reads the key vector (value or index, NaN when inactive) and, for
/// relations, the values; anything that involves an inactive hyperparameter does not forbid.
/// </summary>
internal abstract class ForbiddenEvaluator
{
    public abstract bool IsForbidden(double[] keys, object?[] values);

    /// <summary>One hyperparameter compared with one key.</summary>
    internal sealed class Compare(int index, ComparisonOperator op, double key) : ForbiddenEvaluator
    {
        public override bool IsForbidden(double[] keys, object?[] values) => op.Holds(keys[index], key);
    }

    /// <summary>One hyperparameter's key in a set.</summary>
    internal sealed class InSet(int index, double[] set) : ForbiddenEvaluator
    {
        public override bool IsForbidden(double[] keys, object?[] values)
        {
            var k = keys[index];
            foreach (var s in set)
            {
                if (k == s)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Every part forbids.</summary>
    internal sealed class All(ForbiddenEvaluator[] parts) : ForbiddenEvaluator
    {
        public override bool IsForbidden(double[] keys, object?[] values)
        {
            foreach (var p in parts)
            {
                if (!p.IsForbidden(keys, values))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Some part forbids.</summary>
    internal sealed class Any(ForbiddenEvaluator[] parts) : ForbiddenEvaluator
    {
        public override bool IsForbidden(double[] keys, object?[] values)
        {
            foreach (var p in parts)
            {
                if (p.IsForbidden(keys, values))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A relation between the values of two hyperparameters.</summary>
    internal sealed class Relation(int left, ComparisonOperator op, int right) : ForbiddenEvaluator
    {
        public override bool IsForbidden(double[] keys, object?[] values)
        {
            var a = values[left];
            var b = values[right];
            if (a is null || b is null)
            {
                return false;
            }

            int sign;
            if (HyperparameterValues.TryToDouble(a, out var x) && HyperparameterValues.TryToDouble(b, out var y))
            {
                sign = x.CompareTo(y);
            }
            else if (a is string s && b is string t)
            {
                sign = string.CompareOrdinal(s, t);
            }
            else if (a is bool p && b is bool q)
            {
                sign = p.CompareTo(q);
            }
            else
            {
                return false;
            }

            return op.HoldsForSign(Math.Sign(sign));
        }
    }
}

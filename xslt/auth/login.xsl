<?xml version="1.0" encoding="UTF-8"?>
<!--
  auth/login.xsl - the sign-in page (modules/auth/login.c, also the answer
  of /login/oidc, /login/oidc/callback and /login/sso when they cannot sign
  the browser in).

  Input, inside the core's <page> envelope:

    <login next="/account" login="typed login">
      <method kind="ldap"/>
      <method kind="oidc" href="/login/oidc?next=..." provider="login.example.com"/>
      <method kind="websso" href="/login/sso?next=..."/>
      <error kind="credentials|throttled|directory|refused|provider|state">text</error>
    </login>

  Shows an error summary first (role="alert", focusable, linked to the
  field it is about), then the directory form (login and password with
  their labels and autocomplete hints), then the single sign-on choices.
  Works without JavaScript; the form posts to /login with the CSRF field
  and the "next" path the module checked.

  To add a sign-in method, add a <method kind=""> in pt_login_page()
  (modules/auth/login.c) and a template for it below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="login" select="/page/login"/>
  <xsl:variable name="error" select="$login/error"/>
  <xsl:variable name="bad-credentials" select="$error/@kind = 'credentials'"/>

  <xsl:template match="page" mode="title">Sign in</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <section class="auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">
          <xsl:text>Sign in to </xsl:text>
          <xsl:value-of select="$site-name"/>
        </h1>
        <p class="muted">The partner portal for our resellers, integrators and distributors.</p>

        <xsl:if test="$error">
          <xsl:call-template name="error-summary"/>
        </xsl:if>

        <xsl:apply-templates select="$login/method[@kind = 'ldap']"/>

        <xsl:if test="$login/method[@kind = 'ldap'] and $login/method[@kind != 'ldap']">
          <p class="auth-divider"><span>or</span></p>
        </xsl:if>

        <xsl:if test="$login/method[@kind != 'ldap']">
          <ul class="auth-sso">
            <xsl:apply-templates select="$login/method[@kind != 'ldap']"/>
          </ul>
        </xsl:if>

        <xsl:if test="not($login/method)">
          <p>Signing in is not set up on this portal yet. Please contact your channel manager.</p>
        </xsl:if>
      </section>
    </div>
  </xsl:template>

  <xsl:template name="error-summary">
    <div class="error-summary" role="alert" tabindex="-1"
        aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">
        <xsl:choose>
          <xsl:when test="$error/@kind = 'credentials'">You are not signed in</xsl:when>
          <xsl:when test="$error/@kind = 'throttled'">Too many attempts</xsl:when>
          <xsl:when test="$error/@kind = 'directory' or $error/@kind = 'provider'">Sign-in is unavailable</xsl:when>
          <xsl:when test="$error/@kind = 'refused'">Your account cannot sign in</xsl:when>
          <xsl:otherwise>Please sign in again</xsl:otherwise>
        </xsl:choose>
      </h2>
      <p id="error-summary-text">
        <xsl:choose>
          <xsl:when test="$bad-credentials and $login/method[@kind = 'ldap']">
            <a href="#login"><xsl:value-of select="$error"/></a>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="$error"/>
          </xsl:otherwise>
        </xsl:choose>
      </p>
    </div>
  </xsl:template>

  <!-- The directory form: login and password. -->
  <xsl:template match="method[@kind = 'ldap']">
    <form class="auth-form" method="post" action="/login">
      <xsl:call-template name="csrf-field"/>
      <xsl:if test="normalize-space($login/@next) != ''">
        <input type="hidden" name="next" value="{$login/@next}"/>
      </xsl:if>
      <div class="field">
        <label for="login">Login</label>
        <input class="input" type="text" id="login" name="login"
            autocomplete="username" autocapitalize="none" spellcheck="false"
            required="required" value="{$login/@login}">
          <xsl:if test="$bad-credentials">
            <xsl:attribute name="aria-invalid">true</xsl:attribute>
            <xsl:attribute name="aria-describedby">error-summary-text</xsl:attribute>
          </xsl:if>
          <xsl:if test="not($error) or $bad-credentials">
            <xsl:attribute name="autofocus">autofocus</xsl:attribute>
          </xsl:if>
        </input>
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input class="input" type="password" id="password" name="password"
            autocomplete="current-password" required="required">
          <xsl:if test="$bad-credentials">
            <xsl:attribute name="aria-invalid">true</xsl:attribute>
            <xsl:attribute name="aria-describedby">error-summary-text</xsl:attribute>
          </xsl:if>
        </input>
      </div>
      <p class="field-hint muted">Use the login and password of your company directory account.</p>
      <button class="button button-primary button-block" type="submit">Sign in</button>
    </form>
  </xsl:template>

  <xsl:template match="method[@kind = 'oidc']">
    <li>
      <a class="button button-secondary button-block" href="{@href}">
        <xsl:text>Sign in with </xsl:text>
        <xsl:value-of select="@provider"/>
      </a>
    </li>
  </xsl:template>

  <xsl:template match="method[@kind = 'websso']">
    <li>
      <a class="button button-secondary button-block" href="{@href}">Sign in with your company account</a>
    </li>
  </xsl:template>

  <xsl:template match="method"/>

</xsl:stylesheet>
